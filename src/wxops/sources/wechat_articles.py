"""Articles published on WeChat (``https://mp.weixin.qq.com/s/…``) as candidates.

A WeChat article page carries what the general extractor misses: the publishing
account's name (``var nickname``), the author (``<meta name="author">``), the publish
time as a Unix timestamp (``var ct``), the body in ``#js_content`` with its pictures in
``data-src``, and the 原创 mark (``copyright_stat`` 11). This module reads them.

WeChat answers robots with a verification page (环境异常) or a notice that the article was
deleted or blocked; those are reported in words, never stored as candidates.

What WeChat allows: an article link anyone pasted or submitted can be fetched once like
any public page. WeChat has no API, feed or webhook for another account's articles, and
automated following of accounts (scraping the history page, third-party "RSS for WeChat"
services) breaks WeChat's terms and is blocked by the same verification page — wxops
does not do it. See ``docs/sources.md``.

No Django imports.
"""

from __future__ import annotations

import html as html_lib
import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from lxml import html as lxml_html

from .candidates import Document, gettext_noop
from .charsets import decode_readable
from .extraction import NotAnArticle
from .text import html_to_text

WECHAT_HOST = "mp.weixin.qq.com"
_VAR = r"""var\s+{name}\s*=\s*(?:htmlDecode\()?\s*["']([^"']*)["']"""
_META = r"""<meta[^>]+(?:property|name)\s*=\s*["']{name}["'][^>]*content\s*=\s*["']([^"']*)["']"""
_BLOCKED = (("环境异常", gettext_noop("WeChat asked for a verification (环境异常) instead of showing the article; "
                                     "open the link in WeChat and paste the text, or try again later")),
            ("该内容已被发布者删除", gettext_noop("The article was deleted by its publisher")),
            ("此内容因违规无法查看", gettext_noop("WeChat has blocked this article for breaking its rules")),
            ("此内容被投诉且经审核涉嫌侵权", gettext_noop("WeChat has taken this article down after a complaint")))


def is_wechat_article(url: str) -> bool:
    """Is ``url`` an article on mp.weixin.qq.com (``/s/…`` or ``/s?__biz=…``)?"""
    parts = urlsplit(url or "")
    return (parts.hostname or "").lower() == WECHAT_HOST and parts.path.startswith("/s")


def _find(pattern: str, page: str) -> str:
    match = re.search(pattern, page, re.IGNORECASE)
    return html_lib.unescape(match.group(1)).strip() if match else ""


def parse_wechat_article(data: bytes | str, *, url: str = "") -> Document:
    """The article on a mp.weixin.qq.com page: title, account, author, publish time, text, pictures.

    Raises :class:`~wxops.sources.extraction.NotAnArticle` for a verification page, a deleted
    or blocked article, or a page without ``#js_content``;
    :class:`~wxops.sources.charsets.UnreadableText` when no charset reads the bytes.
    """
    page = decode_readable(data, where=url).text if isinstance(data, bytes) else data
    content_match = re.search(r"""<div[^>]+id\s*=\s*["']js_content["']""", page)
    if content_match is None:
        for marker, message in _BLOCKED:
            if marker in page:
                raise NotAnArticle(message)
        raise NotAnArticle(gettext_noop("No WeChat article on this page (no #js_content): %(url)s"), url=url)
    tree = lxml_html.fromstring(page)
    content = tree.get_element_by_id("js_content")
    pictures = tuple(dict.fromkeys(src for src in (img.get("data-src") or img.get("src") or ""
                                                  for img in content.iter("img")) if src.startswith("http")))
    body_html = lxml_html.tostring(content, encoding="unicode")
    text = html_to_text(body_html)
    if not text.strip():
        raise NotAnArticle(gettext_noop("The WeChat article has no text (pictures or video only): %(url)s"), url=url)
    title = (_find(_META.format(name="og:title"), page) or _find(_VAR.format(name="msg_title"), page)
             or " ".join((tree.findtext(".//title") or "").split()))
    account = _find(_VAR.format(name="nickname"), page) or " ".join(
        (tree.xpath("string(//*[@id='js_name'])") or "").split())
    author = _find(_META.format(name="author"), page) or _find(_VAR.format(name="author"), page)
    published = None
    stamp = _find(_VAR.format(name="ct"), page) or _find(_VAR.format(name="create_time"), page)
    if stamp.isdigit():
        published = datetime.fromtimestamp(int(stamp), tz=UTC)
    cover = _find(_META.format(name="og:image"), page)
    if cover.startswith("http") and cover not in pictures:
        pictures = (cover, *pictures)
    return Document(title=title, text=text, url=url, html=body_html, author=author[:100], source_name=account,
                    published=published, pictures=pictures[:20], reprint="quoted",
                    tags=("原创",) if _find(_VAR.format(name="copyright_stat"), page) == "11" else ())
