"""The picture upload form: warns about near-duplicates and makes WeChat renditions after saving.

Enable with ``WAGTAILIMAGES_IMAGE_FORM_BASE = "wxops.materials.pictures.forms.PictureForm"``.
"""

from __future__ import annotations

import logging

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.images.forms import BaseImageForm

from wxops.materials.models.picture import Licence

from .hashing import NotAnImage, perceptual_hash
from .library import near_duplicates

logger = logging.getLogger(__name__)


class PictureForm(BaseImageForm):
    upload_anyway = forms.BooleanField(
        label=_("Upload anyway"), required=False,
        help_text=_("Tick to add a picture that is already in the library."),
    )

    def clean(self):
        cleaned = super().clean()
        self._check_licence(cleaned)
        upload = cleaned.get("file")
        if not upload or "file" not in self.changed_data:
            return cleaned
        try:
            upload.seek(0)
            phash = perceptual_hash(upload.read())
        except NotAnImage as error:
            raise ValidationError({"file": str(error)}) from error
        finally:
            upload.seek(0)
        duplicates = near_duplicates(phash, exclude=self.instance.pk)
        if duplicates and not cleaned.get("upload_anyway"):
            raise ValidationError({"file": [d.message() for d in duplicates[:3]] + [
                str(_("Use the existing picture, or tick “Upload anyway” to add this one."))]})
        return cleaned

    def _check_licence(self, cleaned) -> None:
        # Only when the form has the field: Wagtail's bulk uploader first saves the file alone.
        if "licence" not in self.fields or "licensor" not in self.fields:
            return
        if cleaned.get("licence") == Licence.LICENSED and not (cleaned.get("licensor") or "").strip():
            self.add_error("licensor", _("Say who granted the licence (person, agency or contract number), "
                                         "or choose another licence."))

    def save(self, commit=True):
        picture = super().save(commit=commit)
        if commit and "file" in self.changed_data:
            from .tasks import make_wechat_renditions_task

            pk = picture.pk
            transaction.on_commit(lambda: _enqueue(make_wechat_renditions_task, pk))
        return picture


def _enqueue(task, pk: int) -> None:
    try:
        task.enqueue(pk)
    except Exception:  # the renditions are also made on first use; an upload never fails for this
        logger.exception("could not enqueue WeChat renditions of picture %s", pk)
