"""Pictures from the web into the library: by URL (an image or the page that shows it), or a pool story's own.

Fetched like every user-supplied URL (public addresses only, a total deadline), stored
with where they came from — the image address, the page, the site, when — and the licence
the editor chose: photos found through image search (百度图库, 360图库) or on portals usually
belong to a photographer or an agency, so the licence is asked, never assumed. Pictures
then live in the library; articles never hot-link the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.utils.translation import gettext as _

from wxops.core import clock
from wxops.materials import actions as materials

from ..candidates import ExplainedError, gettext_noop
from ..charsets import decode
from ..fetching import fetch
from ..models import Story
from .permissions import can_edit_pool, require
from .polling import explain, fetch_policy

#: A picture from the web may be at most this large.
MAX_PICTURE_BYTES = 20 * 1024 * 1024
_META_IMAGE = re.compile(
    r"""<meta[^>]+(?:property|name)\s*=\s*["'](?:og:image|twitter:image)["'][^>]*content\s*=\s*["']([^"']+)["']"""
    r"""|<meta[^>]+content\s*=\s*["']([^"']+)["'][^>]*(?:property|name)\s*=\s*["'](?:og:image|twitter:image)["']""",
    re.IGNORECASE)
_IMG = re.compile(r"""<img\b[^>]*?\b(?:data-src|src)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


class NoPicture(ExplainedError):
    """The address is neither a picture nor a page that shows one."""


@dataclass(frozen=True)
class FetchedPicture:
    """A picture fetched from the web, with where it was found."""

    data: bytes
    image_url: str
    page_url: str
    site: str
    filename: str


def _filename(url: str, content_type: str | None) -> str:
    name = urlsplit(url).path.rsplit("/", 1)[-1] or "picture"
    if "." not in name:
        subtype = (content_type or "image/jpeg").split(";")[0].split("/")[-1]
        name = f"{name}.{_SUFFIXES.get(subtype, subtype)}"
    return name[-100:]


_SUFFIXES = {"jpeg": "jpg", "svg+xml": "svg"}


def fetch_picture(url: str) -> FetchedPicture:
    """The picture at ``url``, or the main picture of the page at ``url`` (its og:image, else its first image)."""
    policy = fetch_policy()
    result = fetch(url, max_bytes=MAX_PICTURE_BYTES, policy=policy)
    content_type = (result.content_type or "").lower()
    if content_type.startswith("image/"):
        return FetchedPicture(result.content, result.url, "", urlsplit(result.url).hostname or "",
                              _filename(result.url, content_type))
    if "html" not in content_type and not result.content.lstrip()[:1] == b"<":
        raise NoPicture(gettext_noop("%(url)s is neither a picture nor a web page (%(type)s)"),
                        url=url, type=content_type or "?")
    html = decode(result.content, result.content_type).text
    candidates = [a or b for a, b in _META_IMAGE.findall(html)] + _IMG.findall(html)
    candidates = [c for c in candidates if not c.startswith("data:")]
    if not candidates:
        raise NoPicture(gettext_noop("No picture found on the page %(url)s"), url=url)
    image_url = urljoin(result.url, candidates[0])
    image = fetch(image_url, max_bytes=MAX_PICTURE_BYTES, policy=policy)
    return FetchedPicture(image.content, image.url, result.url, urlsplit(result.url).hostname or "",
                          _filename(image.url, image.content_type))


def add_picture_from_url(user, url: str, *, licence: str, licensor: str = "", title: str = "",
                         author_credit: str = "", allow_duplicate: bool = False, page_url: str = "",
                         source_name: str = ""):
    """Fetch a picture (or a page's picture) and add it to the library with its provenance.

    ``page_url`` names the page that showed the picture when the caller knows it (a pool
    story's original). Raises ``PermissionDenied``, ``ValidationError`` per field (licence,
    not an image, cannot be fetched — under ``url``) or ``materials.actions.DuplicatePicture``.
    """
    from django.core.exceptions import PermissionDenied, ValidationError

    if not materials.can_add_picture(user):
        raise PermissionDenied(_("You may not add pictures to the library."))
    errors = materials.licence_errors(licence, licensor)
    if errors:
        raise ValidationError(errors)  # before fetching anything: the licence is asked first
    try:
        fetched = fetch_picture(url)
    except ExplainedError as error:
        raise ValidationError({"url": explain(error)}) from error
    site = source_name or fetched.site
    return materials.create_picture(
        user, fetched.data, filename=fetched.filename, title=title or fetched.filename, licence=licence,
        licensor=licensor, source_url=fetched.image_url, source_page=page_url or fetched.page_url,
        source_site=site, retrieved_at=clock.now(), author_credit=author_credit, allow_duplicate=allow_duplicate)


@dataclass(frozen=True)
class Offer:
    """A picture a story's original showed, offered into the library."""

    url: str
    page_url: str
    source_name: str


def offers_for(story: Story, user) -> list[Offer]:
    """The pictures of a story's copies (best copy first), without repeats."""
    require(can_edit_pool(user))
    seen: dict[str, Offer] = {}
    for item in story.items.order_by("-rank", "pk"):
        for url in item.pictures or []:
            seen.setdefault(url, Offer(url, item.url, item.source_name))
    return list(seen.values())[:20]
