"""May this picture be published? The licence rule every publishing path asks.

Image copyright claims are a real cost for Chinese accounts (photos found through image
search usually belong to a photographer or an agency), so a picture is publishable only
when someone consciously recorded its licence:

- no licence chosen yet (a bulk upload, a picture taken from a story) → not publishable;
- 未知 (unknown) → not publishable until someone finds out;
- 已获授权 (licensed) → publishable only with who granted it (``licensor``);
- 自有版权 (own) and 公共领域 (public domain) → publishable.

Example::

    from wxops.materials.pictures.licence import unpublishable_reason

    reason = unpublishable_reason(article.cover)
    if reason is not None:
        refuse(reason)   # e.g. "图片“会场.jpg”的授权情况未知：……"
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from wxops.materials.models.picture import Licence, Picture


def unpublishable_reason(picture: Picture) -> str | None:
    """None when ``picture`` may be published; else why not, in words (translated).

    Pure with respect to the database: it reads only the picture's own fields.
    """
    title = picture.title
    if not picture.licence:
        return _("Picture “%(title)s” has no licence recorded: choose its licence "
                 "(own, licensed, public domain) before publishing.") % {"title": title}
    if picture.licence == Licence.UNKNOWN:
        return _("The licence of picture “%(title)s” is unknown: find out who owns it and record "
                 "its licence before publishing, or use another picture.") % {"title": title}
    if picture.licence == Licence.LICENSED and not (picture.licensor or "").strip():
        return _("Picture “%(title)s” is marked licensed but does not say who granted the licence: "
                 "record the licensor (person, agency or contract).") % {"title": title}
    if picture.licence not in Licence.values:
        return _("Picture “%(title)s” has an unrecognised licence “%(licence)s”: choose one of the "
                 "listed licences.") % {"title": title, "licence": picture.licence}
    return None


def unpublishable_pictures(pictures) -> list[tuple[Picture, str]]:
    """``(picture, reason)`` for each of ``pictures`` that may not be published, in order."""
    found = []
    for picture in pictures:
        reason = unpublishable_reason(picture)
        if reason is not None:
            found.append((picture, reason))
    return found
