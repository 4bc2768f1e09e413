"""The picture library's rules: near-duplicates, WeChat renditions, the pictures of an article, category tags."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from wxops.materials.models.picture import Picture, WeChatRendition, WeChatRenditionKind

from . import wechat
from .hashing import DUPLICATE_DISTANCE, distance, is_flat, looks_the_same
from .licence import unpublishable_pictures

logger = logging.getLogger(__name__)

_MAKERS = {
    WeChatRenditionKind.COVER: lambda data, focus: wechat.cover(data, focus),
    WeChatRenditionKind.THUMB: lambda data, focus: wechat.thumb(data, focus),
    WeChatRenditionKind.INLINE: lambda data, focus: wechat.inline(data),
}


@dataclass(frozen=True)
class Duplicate:
    picture: Picture
    distance: int

    def message(self) -> str:
        return _("This picture is already in the library as “%(title)s” (#%(pk)d, %(bits)d bits apart).") % {
            "title": self.picture.title, "pk": self.picture.pk, "bits": self.distance}


def near_duplicates(phash: str, *, data: bytes | None = None, exclude: int | None = None,
                    limit: int = 5) -> list[Duplicate]:
    """Pictures whose perceptual hash is within :data:`DUPLICATE_DISTANCE` bits of ``phash``.

    With the picture's bytes (``data``), a flat picture (plain colour, text card) is also
    compared pixel by pixel with each candidate, whose pHash says little (see
    :mod:`~wxops.materials.pictures.hashing`): different flat pictures are not duplicates.
    """
    if not phash:
        return []
    found = []
    for pk, other in Picture.objects.exclude(phash="").exclude(pk=exclude).values_list("pk", "phash").iterator():
        gap = distance(phash, other)
        if gap <= DUPLICATE_DISTANCE:
            found.append((gap, pk))
    found.sort()
    pictures = Picture.objects.in_bulk([pk for _, pk in found[:limit]])
    duplicates = [Duplicate(pictures[pk], gap) for gap, pk in found[:limit] if pk in pictures]
    if data is not None and duplicates and is_flat(data):
        duplicates = [d for d in duplicates if _same_flat_picture(data, d.picture)]
    return duplicates


def _same_flat_picture(data: bytes, picture: Picture) -> bool:
    try:
        with picture.open_file() as handle:
            return looks_the_same(data, handle.read())
    except (OSError, ValueError):  # the other file is gone or unreadable: warn, as the pHash says
        return True


def _focus(picture: Picture) -> wechat.Focus | None:
    if picture.focal_point_x is None or picture.focal_point_y is None:
        return None
    return wechat.Focus(picture.focal_point_x, picture.focal_point_y, picture.focal_point_width or 0,
                        picture.focal_point_height or 0)


def _focal_key(picture: Picture) -> str:
    return f"{picture.focal_point_x}:{picture.focal_point_y}:{picture.focal_point_width}:{picture.focal_point_height}"


def wechat_rendition(picture: Picture, kind: str) -> WeChatRendition:
    """The picture's WeChat-ready ``kind`` (cover, thumb, inline), made now if missing or stale.

    Raises :class:`wxops.materials.pictures.hashing.NotAnImage` or
    :class:`wxops.materials.pictures.wechat.RenditionError` with the reason in words.
    """
    kind = WeChatRenditionKind(kind)
    existing = WeChatRendition.objects.filter(picture=picture, kind=kind).first()
    key = _focal_key(picture)
    if existing and existing.focal_key == key and existing.source_hash == picture.file_hash:
        return existing
    with picture.open_file() as handle:
        data = handle.read()
    made = _MAKERS[kind](data, _focus(picture))
    name = f"{picture.pk}-{kind}-{hashlib.sha256(made.data).hexdigest()[:10]}.{'jpg' if made.format == 'jpeg' else 'png'}"
    with transaction.atomic():
        if existing:
            existing.file.delete(save=False)
            existing.delete()
        rendition = WeChatRendition(picture=picture, kind=kind, format=made.format, width=made.width,
                                    height=made.height, size=made.size, steps=list(made.steps), focal_key=key,
                                    source_hash=picture.file_hash)
        rendition.file.save(name, ContentFile(made.data), save=False)
        rendition.save()
    return rendition


def make_wechat_renditions(picture: Picture) -> dict[str, WeChatRendition | str]:
    """All three renditions; a kind that fails maps to its error message (the others still get made)."""
    results: dict[str, WeChatRendition | str] = {}
    for kind in WeChatRenditionKind:
        try:
            results[kind.value] = wechat_rendition(picture, kind)
        except ValueError as error:  # NotAnImage, RenditionError
            logger.warning("picture %s: no %s rendition: %s", picture.pk, kind, error)
            results[kind.value] = str(error)
    return results


# ---------------------------------------------------------------- licences


_EMBED = re.compile(r"""<embed[^>]*embedtype=["']image["'][^>]*id=["'](\d+)["']""")
_EMBED_ALT = re.compile(r"""<embed[^>]*id=["'](\d+)["'][^>]*embedtype=["']image["']""")


def pictures_of(article) -> list[Picture]:
    """The cover and every picture embedded in the article's rich-text body."""
    ids = set()
    if article.cover_id:
        ids.add(article.cover_id)
    body = article.body or ""
    ids.update(int(pk) for pk in _EMBED.findall(body))
    ids.update(int(pk) for pk in _EMBED_ALT.findall(body))
    return list(Picture.objects.filter(pk__in=ids).order_by("pk"))


def unpublishable_pictures_of(article) -> list[tuple[Picture, str]]:
    """``(picture, reason)`` for the cover and body pictures of ``article`` that may not be published.

    The rule is :func:`wxops.materials.pictures.licence.unpublishable_reason`; editors see
    these on saving, publishing refuses to send while any remain.
    """
    return unpublishable_pictures(pictures_of(article))


# ---------------------------------------------------------------- tags per category


def tag_with_category(picture: Picture, category) -> None:
    """Tag a picture with a category's name, so editors find pictures by category."""
    picture.tags.add(category.name)


def for_category(category):
    """Pictures tagged with the category's name."""
    return Picture.objects.filter(tags__name=category.name).distinct()
