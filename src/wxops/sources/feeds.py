"""Parse RSS/Atom bytes into :class:`Document` values, whatever the feed's encoding.

feedparser is tolerant but not with encodings: undeclared GB2312 comes out as mojibake
and the strict XML path rejects every multi-byte legacy charset. So the bytes are decoded
first (:mod:`wxops.sources.charsets`, which refuses text it cannot read), the prologue is
cleaned (blank lines before ``<?xml``, a declaration that no longer matches), and
feedparser sees UTF-8.

Nothing is lost silently: a feed feedparser could only read in part comes back with a
warning; dates feedparser cannot read (``13:08:54+0900``) go to a tolerant parser; entries
told apart only by a ``#fragment`` keep it in their canonical URL; entries sharing one link
are known by their guid, entries sharing one guid by their link (:func:`_identities`).

No Django imports.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import feedparser

from .candidates import Document, ExplainedError, Problem, gettext_noop
from .canonical_urls import canonical_of
from .charsets import decode, strip_xml_prologue_noise
from .text import html_to_text

_IMG = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


class FeedError(ExplainedError, ValueError):
    """The bytes are not a feed wxops can read; the message says why."""


@dataclass(frozen=True)
class Feed:
    """A parsed feed: its title, its entries as documents, and warnings about what was read only in part."""

    title: str
    documents: list[Document]
    warnings: tuple[Problem, ...] = ()


def parse_feed(data: bytes, *, url: str = "", content_type: str | None = None) -> Feed:
    """Read RSS 0.9x/1.0/2.0 or Atom bytes.

    Relative links are resolved against ``url``; entries without a readable date get
    ``published=None`` (the caller decides what an undated item is worth). Raises
    :class:`FeedError` when the input has no feed structure at all (an HTML page, broken
    XML with no readable entries) or its text cannot be decoded plausibly.
    """
    decoded = decode(data, content_type)
    if not decoded.plausible:
        raise FeedError(gettext_noop("Cannot read this feed's text: it decodes to unreadable characters "
                                     "(declared %(declared)s, tried %(tried)s); nothing was stored"),
                        declared=decoded.declared or "-", tried=", ".join(decoded.tried) or decoded.encoding)
    text = strip_xml_prologue_noise(decoded.text)
    headers = {"content-type": "application/xml; charset=utf-8"}
    if url:
        headers["content-location"] = url
    parsed = feedparser.parse(io.BytesIO(text.encode("utf-8")), response_headers=headers)
    reason = _bozo_reason(parsed)
    if not parsed.version and not parsed.entries:
        raise FeedError(gettext_noop("Not a readable RSS or Atom feed: %(reason)s"),
                        reason=reason or "no <rss>, <feed> or <rdf:RDF> element")
    feed_title = _clean(parsed.feed.get("title", ""))
    documents = [d for d in (_document(entry, url, feed_title) for entry in parsed.entries) if d is not None]
    warnings: list[Problem] = []
    if parsed.get("bozo") and reason and not _harmless(parsed.get("bozo_exception")):
        warnings.append(Problem(url or feed_title, gettext_noop(
            "The feed is malformed and was read only in part (%(count)d entries): %(reason)s"),
            {"count": len(documents), "reason": reason}, warning=True))
    return Feed(feed_title, _identities(_keep_identifying_fragments(documents)), tuple(warnings))


def _bozo_reason(parsed) -> str:
    error = parsed.get("bozo_exception")
    if error is None:
        return ""
    return (getattr(error, "getMessage", lambda: "")() or str(error)).strip()


def _harmless(error) -> bool:
    # feedparser flags encoding overrides it made itself (we hand it UTF-8 on purpose).
    return type(error).__name__ in {"CharacterEncodingOverride", "NonXMLContentType"}


def _keep_identifying_fragments(documents: list[Document]) -> list[Document]:
    """Entries whose links differ only in the #fragment (``archive.html#109424958546889584``)
    are different posts: their canonical URLs keep the fragment."""
    def without_fragment(link: str) -> str:
        return link.split("#", 1)[0]

    shared = Counter(without_fragment(d.url) for d in documents if d.url and urlsplit(d.url).fragment)
    fragments = Counter(d.url for d in documents if d.url)
    return [replace(d, fragment_identifies=True)
            if d.url and urlsplit(d.url).fragment and shared[without_fragment(d.url)] > 1 and fragments[d.url] == 1
            else d for d in documents]


def _identities(documents: list[Document]) -> list[Document]:
    """Make sure different entries of one feed never share the key they are de-duplicated by.

    Exact duplicates are found by canonical URL or by guid, so two different entries (other
    title or text) that share a guid (``<guid>http://site/</guid>`` on every entry) lose the
    guid, and entries that share a link (every entry linking to the homepage) are known by
    their guid — or, without one, by a stable key made of the link and the title (an
    entry first seen alone on that link, with no guid, comes back once as a copy of its own
    story when others join it).
    The same entry repeated in one feed stays one entry.
    """
    def content(d: Document) -> tuple[str, str]:
        return d.title, d.text

    by_guid: dict[str, set] = {}
    for d in documents:
        if d.guid:
            by_guid.setdefault(d.guid, set()).add(content(d))
    documents = [replace(d, guid="") if d.guid and len(by_guid[d.guid]) > 1 else d for d in documents]
    by_link: dict[str, set] = {}
    for d in documents:
        if canonical_of(d):
            by_link.setdefault(canonical_of(d), set()).add(content(d))
    shared = []
    for d in documents:
        link = canonical_of(d)
        if link and len(by_link[link]) > 1:
            guid = d.guid or "wxops:" + hashlib.sha256(f"{link}\n{d.title}".encode()).hexdigest()
            d = replace(d, link_identifies=False, guid=guid)
        shared.append(d)
    return shared


def _document(entry, base_url: str, feed_title: str) -> Document | None:
    link = entry.get("link") or ""
    if link and base_url:
        link = urljoin(base_url, link)
    html = ""
    if entry.get("content"):
        html = max((part.get("value", "") for part in entry.content), key=len)
    summary = entry.get("summary", "")
    if len(summary) > len(html):
        html = summary
    text = html_to_text(html)
    title = _clean(entry.get("title", "")) or text[:40]
    if not title and not text:
        return None
    guid = entry.get("id") or ""
    tags = tuple(t.get("term", "") for t in entry.get("tags", []) if t.get("term"))
    return Document(
        title=title,
        text=text,
        url=link,
        guid=guid,
        html=html,
        author=_clean(entry.get("author", "")),
        source_name=feed_title,
        published=entry_date(entry),
        tags=tags,
        pictures=_pictures(entry, html, link or base_url),
    )


def _pictures(entry, html: str, base: str) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for enclosure in entry.get("enclosures", []) or []:
        if str(enclosure.get("type", "")).startswith("image/") and enclosure.get("href"):
            found.setdefault(urljoin(base, enclosure["href"]), None)
    for media in entry.get("media_content", []) or []:
        if media.get("url") and str(media.get("medium", "image")) == "image":
            found.setdefault(urljoin(base, media["url"]), None)
    for src in _IMG.findall(html or ""):
        if not src.startswith("data:"):
            found.setdefault(urljoin(base, src), None)
    return tuple(found)[:20]


#: Dates that name no zone are Beijing time: Chinese sites write local time (``2005-5-28
#: 16:05:36``), which read as UTC put items 8 hours late, across midnight for evening news.
LOCAL_ZONE = "Asia/Shanghai"
_ZONE_AT_END = re.compile(r"(?:Z|[+-]\d{2}:?\d{2}|\b(?!AM\b|PM\b)[A-Z]{2,5})\s*$", re.IGNORECASE)
#: "CST" on a Chinese site is China Standard Time (Java's default date format prints it),
#: not US Central as feedparser reads it: 14 hours apart.
_CST = re.compile(r"\bCST\b")


def _local_date(raw: str) -> datetime | None:
    """A date in Beijing time when ``raw`` names no zone (or says CST); None to let feedparser's stand."""
    raw = raw.strip()
    if _CST.search(raw):
        return tolerant_date(" ".join(_CST.sub(" ", raw).split()), zone=LOCAL_ZONE)
    if not _ZONE_AT_END.search(raw):
        return tolerant_date(raw, zone=LOCAL_ZONE)
    return None


def entry_date(entry) -> datetime | None:
    """The entry's published (else updated, else created) time, aware; None when it has none readable.

    feedparser's own parser gives up on forms like ``Tue, 27 Dec 2005 13:08:54+0900`` (no
    space before the offset): the raw value then goes to ``dateparser``, which reads them.
    A date without a zone, or in "CST", is Beijing time (:data:`LOCAL_ZONE`); feedparser
    would read it as UTC, or US Central.
    """
    for key in ("published", "updated", "created"):
        raw = dict.get(entry, key)
        if isinstance(raw, str) and raw.strip():
            local = _local_date(raw)
            if local is not None:
                return local
            break  # the first date the entry gives decides, as below
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = dict.get(entry, key)  # plain dict access: no feedparser key-mapping warning
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError):
                continue
    for key in ("published", "updated", "created", "dc_date", "date"):
        raw = dict.get(entry, key)
        if raw:
            parsed = tolerant_date(str(raw))
            if parsed is not None:
                return parsed
    return None


def tolerant_date(raw: str, *, zone: str = "UTC") -> datetime | None:
    """Read a date written any common way; None when it cannot. Dates without a zone are in ``zone``."""
    import dateparser  # ~0.3 s to import: only when feedparser could not read a date

    parsed = dateparser.parse(raw.strip(), settings={"RETURN_AS_TIMEZONE_AWARE": True, "TIMEZONE": zone,
                                                     "PREFER_DAY_OF_MONTH": "first"})
    if parsed is None or parsed.year < 1990:
        return None
    return parsed.astimezone(UTC)


def _clean(value: str) -> str:
    return " ".join(html_to_text(value).split()) if "<" in value else " ".join(value.split())
