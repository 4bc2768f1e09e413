"""The picture upload form: the licence asked (never assumed), near-duplicates warned, renditions and text after saving.

Enable with ``WAGTAILIMAGES_IMAGE_FORM_BASE = "wxops.materials.pictures.forms.PictureForm"``.

It serves Wagtail's three upload paths:

- the single upload page and the chooser's upload tab: a near-duplicate is refused with a
  "Upload anyway" (仍然上传) checkbox right there;
- the bulk uploader, first step (only the file is sent): the licence is missing, so Wagtail
  keeps the file aside and shows a form per picture — no duplicate refusal yet, as that step
  has no checkbox;
- the bulk uploader, second step (that per-picture form, which has the checkbox): the kept
  file is checked for near-duplicates and the warning shown beside "Upload anyway".
"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.images.forms import BaseImageForm

from .hashing import NotAnImage, perceptual_hash
from .library import near_duplicates

#: Wagtail's bulk uploader names the per-picture form of a kept file "uploaded-image-<id>".
_KEPT_UPLOAD = re.compile(r"^uploaded-image-(\d+)$")


class PictureForm(BaseImageForm):
    upload_anyway = forms.BooleanField(
        label=_("Upload anyway"), required=False,
        help_text=_("Tick to add a picture that is already in the library."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            data = self._kept_upload()
            warnings = self._duplicate_messages(data) if data else []
            if warnings:  # the bulk uploader's per-picture form: say it first, before the editor fills it in
                self.fields["upload_anyway"].help_text = " ".join(warnings)
                self.order_fields(["upload_anyway"])
                self._mark_held()

    def _mark_held(self) -> None:
        """Mark the form of a refused duplicate, so the bulk uploader does not say 上传成功 above it
        (``wagtailimages/multiple/add.html`` of ``wxops.site`` gives its row the class that hides it)."""
        self.fields["upload_anyway"].widget.attrs["data-wxops-duplicate"] = "1"

    def _kept_upload(self) -> bytes | None:
        """The bytes of the file the bulk uploader kept aside for this form, if it is that form."""
        match = _KEPT_UPLOAD.match(self.prefix or "")
        if not match:
            return None
        from wagtail.models import UploadedFile

        upload = UploadedFile.objects.filter(pk=int(match.group(1))).first()
        if upload is None:
            return None
        try:
            with upload.file.open("rb") as handle:
                return handle.read()
        except OSError:
            return None

    def _duplicate_messages(self, data: bytes) -> list[str]:
        try:
            phash = perceptual_hash(data)
        except NotAnImage:
            return []
        return [d.message() for d in near_duplicates(phash, data=data, exclude=self.instance.pk)[:3]]

    def clean(self):
        from wxops.materials.actions import licence_errors

        cleaned = super().clean()
        if "licence" in self.fields and "licensor" in self.fields and cleaned.get("licence"):
            for field, message in licence_errors(cleaned["licence"], cleaned.get("licensor", "")).items():
                self.add_error(field, message)
        upload = cleaned.get("file")
        if upload and "file" in self.changed_data:
            try:
                upload.seek(0)
                data = upload.read()
                perceptual_hash(data)
            except NotAnImage as error:
                self.add_error("file", str(error))
                return cleaned
            finally:
                upload.seek(0)
            if self._bulk_first_step():
                return cleaned  # the per-picture form that follows checks, with its checkbox
            duplicates = self._duplicate_messages(data)
            if duplicates and not cleaned.get("upload_anyway"):
                self.add_error("file", [*duplicates, str(_(
                    "Use the existing picture, or tick “Upload anyway” to add this one."))])
        elif "file" not in self.fields:
            data = self._kept_upload()
            duplicates = self._duplicate_messages(data) if data else []
            if duplicates and not cleaned.get("upload_anyway"):
                self.add_error("upload_anyway", [*duplicates, str(_(
                    "Delete this upload to keep the existing picture, or tick “Upload anyway” to add it."))])
                self._mark_held()
        return cleaned

    def _bulk_first_step(self) -> bool:
        # The bulk uploader's first request sends only the file, a title and a collection; every
        # other form (single upload, chooser) posts the licence field, chosen or not.
        return self.is_bound and "licence" in self.fields and "licence" not in self.data

    def save(self, commit=True):
        picture = super().save(commit=commit)
        if commit and ("file" in self.changed_data or self._kept_upload() is not None):
            from wxops.materials.actions import after_picture_saved

            after_picture_saved(picture)
        return picture
