"""Pictures to WeChat: body pictures through ``media/uploadimg``, covers as permanent image material.

Each upload is remembered per account by the sha256 of the rendition's bytes
(:class:`~wxops.publishing.models.WeChatUpload`), so a retry after a crash, the next push
with the same picture, or the reviewer's preview never uploads it again. Two workers may
race to upload the same picture once; both results are valid and one is kept.
"""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wxops.accounts.models import Account
from wxops.materials.models import Picture
from wxops.materials.pictures.library import wechat_rendition
from wxops.publishing.models import UploadPurpose, WeChatUpload
from wxops.wechat import WeChatClient


class PictureProblem(ValueError):
    """A picture cannot be sent (missing, unreadable, cannot be made small enough); says which and why."""


def _rendition_bytes(picture: Picture, kind: str) -> tuple[bytes, str]:
    try:
        rendition = wechat_rendition(picture, kind)
        with rendition.file.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError) as error:  # NotAnImage, RenditionError, a lost file
        raise PictureProblem(_("The picture “%(title)s” (#%(pk)d) cannot be prepared for WeChat: %(error)s") % {
            "title": picture.title, "pk": picture.pk, "error": error}) from None
    return data, ("png" if rendition.format == "png" else "jpg")


def _remember(account: Account, purpose: str, sha256: str, **values) -> WeChatUpload:
    try:
        with transaction.atomic():
            return WeChatUpload.objects.create(account=account, purpose=purpose, sha256=sha256, **values)
    except IntegrityError:  # another worker uploaded the same picture a moment ago: keep theirs
        return WeChatUpload.objects.get(account=account, purpose=purpose, sha256=sha256)


def body_image_url(client: WeChatClient, account: Account, picture: Picture) -> str:
    """The uploadimg URL of ``picture``'s in-article rendition (≤ 1080 px, ≤ 1 MB), uploading it once."""
    data, extension = _rendition_bytes(picture, "inline")
    digest = hashlib.sha256(data).hexdigest()
    known = WeChatUpload.objects.filter(account=account, purpose=UploadPurpose.BODY_IMAGE, sha256=digest).first()
    if known:
        return known.url
    uploaded = client.media.upload_image(data, f"{digest[:16]}.{extension}")
    return _remember(account, UploadPurpose.BODY_IMAGE, digest, url=uploaded.url).url


def cover_media_id(client: WeChatClient, account: Account, picture: Picture) -> str:
    """The permanent material id of ``picture``'s 900×383 cover rendition, uploading it once.

    Uploaded as an ``image`` material, not a 64 KB ``thumb``: WeChat shows the headline's
    cover 900 px wide, and a draft's ``thumb_media_id`` takes any permanent picture.
    """
    data, extension = _rendition_bytes(picture, "cover")
    digest = hashlib.sha256(data).hexdigest()
    known = WeChatUpload.objects.filter(account=account, purpose=UploadPurpose.COVER, sha256=digest).first()
    if known:
        return known.media_id
    material = client.media.add_material(data, f"{digest[:16]}.{extension}", kind="image")
    return _remember(account, UploadPurpose.COVER, digest, media_id=material.media_id, url=material.url).media_id


def image_material(client: WeChatClient, account: Account, picture: Picture) -> tuple[str, str]:
    """(media_id, url) of ``picture``'s in-article rendition as a permanent image material, uploading it once.

    For what is not an article: an automatic image reply, a news card's picture
    (``interaction.replies``). Remembered like a cover — a permanent image material — by the
    rendition's bytes, which differ from the cover's, so the two never mix.
    """
    data, extension = _rendition_bytes(picture, "inline")
    digest = hashlib.sha256(data).hexdigest()
    known = WeChatUpload.objects.filter(account=account, purpose=UploadPurpose.COVER, sha256=digest).first()
    if known:
        return known.media_id, known.url
    material = client.media.add_material(data, f"{digest[:16]}.{extension}", kind="image")
    kept = _remember(account, UploadPurpose.COVER, digest, media_id=material.media_id, url=material.url)
    return kept.media_id, kept.url
