"""Business rules of materials: article drafts, pictures into the library, what saving an article settles.

Views, forms, hooks and higher apps (sources) call these; each checks permission, changes
state atomically, audit-logs, and leaves slow work (renditions, OCR) to the worker after
commit.

    from wxops.materials import actions
    article = actions.create_draft(account, user, title="…", body="<p>…</p>")
    picture = actions.create_picture(user, data, filename="会场.jpg", licence="licensed", licensor="新华社")
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from wxops.core import audit

from .models import Article, Picture
from .models.picture import Licence
from .pictures.hashing import NotAnImage, open_image, perceptual_hash
from .pictures.library import Duplicate, near_duplicates, tag_with_category, unpublishable_pictures_of

logger = logging.getLogger(__name__)

AUDIT_PICTURE_ADDED = "wxops.materials.picture_added"


class DuplicatePicture(ValidationError):
    """The picture is already in the library; ``duplicates`` says as which (add it anyway to override)."""

    def __init__(self, duplicates: list[Duplicate]):
        super().__init__([d.message() for d in duplicates[:3]])
        self.duplicates = duplicates


def licence_errors(licence: str, licensor: str) -> dict[str, str]:
    """Field errors of a licence choice: none chosen, an unknown value, 已获授权 without who granted it."""
    if not licence:
        return {"licence": _("Choose the licence: own, licensed, public domain or unknown.")}
    if licence not in Licence.values:
        return {"licence": _("Choose one of the listed licences.")}
    if licence == Licence.LICENSED and not (licensor or "").strip():
        return {"licensor": _("Say who granted the licence (person, agency or contract number), "
                              "or choose another licence.")}
    return {}


def can_add_picture(user) -> bool:
    # Wagtail 8's registry, not wagtail.images.permissions.permission_policy: that import printed a
    # RemovedInWagtail90Warning into make run's log on the first page that asked.
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(get_image_model())
    return bool(user and user.is_active and policy.user_has_permission(user, "add"))


def after_picture_saved(picture: Picture) -> None:
    """Queue the WeChat renditions and the reading of the picture's text, after commit."""
    from django.core.cache import cache

    from .pictures.ocr import QUEUED_SECONDS, queued_key
    from .tasks import make_wechat_renditions_task, read_picture_text_task

    pk = picture.pk
    cache.set(queued_key(picture), 1, QUEUED_SECONDS)  # a look at an article using it does not queue it again
    for task in (make_wechat_renditions_task, read_picture_text_task):
        transaction.on_commit(lambda task=task: _enqueue(task, pk))


def _enqueue(task, pk: int) -> None:
    try:
        task.enqueue(pk)
    except Exception:  # renditions and text are also made on first use; an upload never fails for this
        logger.exception("could not enqueue %s for picture %s", task.name, pk)


def create_picture(user, data: bytes, *, filename: str, licence: str, title: str = "", licensor: str = "",
                   source_url: str = "", source_page: str = "", source_site: str = "", retrieved_at=None,
                   author_credit: str = "", notes: str = "", allow_duplicate: bool = False) -> Picture:
    """Add a picture to the library with its provenance and a consciously chosen licence.

    Raises ``PermissionDenied`` (may not add pictures), ``ValidationError`` per field (no
    licence, 已获授权 without licensor, not an image) or :class:`DuplicatePicture` (already in
    the library, unless ``allow_duplicate``). Nothing is stored when it raises.
    """
    from wagtail.models import Collection

    if not can_add_picture(user):
        raise PermissionDenied(_("You may not add pictures to the library."))
    errors = licence_errors(licence, licensor)
    if errors:
        raise ValidationError(errors)
    try:
        phash = perceptual_hash(data)
        width, height = open_image(data).size
    except NotAnImage as error:
        raise ValidationError({"file": str(error)}) from error
    duplicates = near_duplicates(phash, data=data)
    if duplicates and not allow_duplicate:
        raise DuplicatePicture(duplicates)
    picture = Picture(title=(title or filename)[:255], licence=licence, licensor=licensor.strip()[:200],
                      source_url=source_url[:1000], source_page=source_page[:1000], source_site=source_site[:200],
                      retrieved_at=retrieved_at, author_credit=author_credit[:200], notes=notes,
                      collection=Collection.get_first_root_node(), uploaded_by_user=user)
    with transaction.atomic():
        picture.file.save(filename, ContentFile(data), save=False)
        picture.width, picture.height = width, height  # assigning the file cleared them
        picture._set_image_file_metadata()
        picture.save()
        audit.record(picture, AUDIT_PICTURE_ADDED, user=user, data={
            "source_url": source_url, "source_page": source_page, "licence": licence, "licensor": licensor})
        after_picture_saved(picture)
    return picture


def create_draft(account, user, **fields) -> Article:
    """A new article draft (not live) with its first revision by ``user``."""
    if not (user and user.is_active and (user.is_superuser or user.has_perm("materials.add_article"))):
        raise PermissionDenied(_("You may not create articles."))
    with transaction.atomic():
        article = Article(account=account, live=False, **fields)
        article.save()
        article.save_revision(user=user)
    return article


def article_saved(article: Article) -> list[str]:
    """What saving an article settles: its cover is tagged with its category; returns the
    reasons its pictures may not be published yet (shown to the editor at once)."""
    if article.cover_id and article.category_id:
        tag_with_category(article.cover, article.category)
    return [reason for _picture, reason in unpublishable_pictures_of(article)]
