"""Parse RSS/Atom bytes into :class:`Document` values, whatever the feed's encoding.

feedparser is tolerant but not with encodings: undeclared GB2312 comes out as mojibake
and the strict XML path rejects every multi-byte legacy charset. So the bytes are decoded
first (:mod:`wxops.sources.charsets`), the prologue is cleaned (blank lines before
``<?xml``, a declaration that no longer matches), and feedparser sees UTF-8.

No Django imports.
"""

from __future__ import annotations

import calendar
import io
from datetime import UTC, datetime
from urllib.parse import urljoin

import feedparser

from .charsets import decode, strip_xml_prologue_noise
from .documents import Document
from .text import html_to_text


class FeedError(ValueError):
    """The bytes are not a feed wxops can read; the message says why."""


def parse_feed(data: bytes, *, url: str = "", content_type: str | None = None) -> tuple[str, list[Document]]:
    """Return ``(feed title, documents)`` for RSS 0.9x/1.0/2.0 or Atom bytes.

    Relative links are resolved against ``url``; entries without a date get
    ``published=None`` (the caller decides: usually "first seen"). Raises
    :class:`FeedError` when the input has no feed structure at all (an HTML page, broken
    XML with no readable entries).
    """
    decoded = decode(data, content_type)
    text = strip_xml_prologue_noise(decoded.text)
    headers = {"content-type": "application/xml; charset=utf-8"}
    if url:
        headers["content-location"] = url
    parsed = feedparser.parse(io.BytesIO(text.encode("utf-8")), response_headers=headers)
    if not parsed.version and not parsed.entries:
        reason = getattr(parsed.get("bozo_exception"), "getMessage", lambda: "")() or str(
            parsed.get("bozo_exception") or "no <rss>, <feed> or <rdf:RDF> element"
        )
        raise FeedError(f"不是可读的 RSS/Atom 订阅源 / not a readable RSS or Atom feed: {reason}")
    feed_title = _clean(parsed.feed.get("title", ""))
    documents = []
    for entry in parsed.entries:
        document = _document(entry, url, feed_title)
        if document is not None:
            documents.append(document)
    return feed_title, documents


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
        published=_date(entry),
        tags=tags,
    )


def _date(entry) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = dict.get(entry, key)  # plain dict access: no feedparser key-mapping warning
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError):
                continue
    return None


def _clean(value: str) -> str:
    return " ".join(html_to_text(value).split()) if "<" in value else " ".join(value.split())
