"""Extract an article (title, text, date, author, source) from a web page.

trafilatura does the hard part (main text without navigation, ads, footers). It does not
recognise Chinese bylines, so :func:`find_byline` reads the common forms itself —
``作者：张三``, ``来源：新华网``, ``记者 李四``, ``文/王五``, ``责任编辑：赵六`` — from the page's
visible text near the title. A page whose main text is too short to be an article (a
portal homepage, a list page, an error page) raises :class:`NotAnArticle` rather than
producing a junk candidate.

No Django imports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from urllib.parse import urljoin

import trafilatura
from lxml import html as lxml_html

from .candidates import Document, ExplainedError, gettext_noop
from .charsets import decode_readable
from .text import html_to_text

#: Shorter main texts are navigation, list or error pages, not articles.
MIN_ARTICLE_CHARS = 120
CHINA = timezone(timedelta(hours=8))

_NAME = r"([\u4e00-\u9fffA-Za-z·・]{2,20}(?:[ 、,，][\u4e00-\u9fff]{2,4}){0,3})"
_AUTHOR_PATTERNS = (
    re.compile(r"(?:作\s*者|撰\s*文|撰\s*稿)\s*[：:]\s*" + _NAME),
    re.compile(r"(?:^|[\s（(【\[])(?:本报|本刊)?记者\s*[：:]?\s*([\u4e00-\u9fff]{2,4}(?:[ 、][\u4e00-\u9fff]{2,4}){0,2})"),
    re.compile(r"(?:^|[\s（(【\[])文\s*[/／|｜]\s*" + _NAME),
    re.compile(r"(?:^|\s)(?:By|by|BY)\s+([A-Z][A-Za-z.\- ]{1,40})"),
)
_BYLINE_TAIL = re.compile(r"\s*(报道|摄影?|讯|编辑|通讯员|实习生)$")
_SOURCE_PATTERN = re.compile(r"(?:来\s*源|出\s*处|转\s*自)\s*[：:]\s*([\u4e00-\u9fffA-Za-z0-9·《》 .]{2,30}?)(?=\s|$|[|｜，,。 ]|作者|记者|编辑|时间|发布)")
_DATE_PATTERN = re.compile(
    r"(20\d{2}|19\d{2})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?(?:\s*(\d{1,2})[:：](\d{2}))?"
)


class NotAnArticle(ExplainedError, ValueError):
    """The page has no article body (homepage, list page, error page); the message says so."""


@dataclass(frozen=True)
class Byline:
    author: str = ""
    source: str = ""


def extract_page(data: bytes | str, *, url: str = "", content_type: str | None = None) -> Document:
    """Return the article on a page as a :class:`Document`.

    ``data`` may be raw bytes (decoded with :func:`wxops.sources.charsets.decode`) or
    text. Raises :class:`NotAnArticle` when there is no main text of at least
    :data:`MIN_ARTICLE_CHARS` characters, and
    :class:`~wxops.sources.charsets.UnreadableText` when no charset reads the bytes.
    """
    html = decode_readable(data, content_type, where=url).text if isinstance(data, bytes) else data
    result = trafilatura.bare_extraction(
        html, url=url or None, with_metadata=True, include_comments=False, include_tables=True,
        favor_precision=True, deduplicate=False,
    )
    text = (getattr(result, "text", None) or "").strip() if result is not None else ""
    if len(text) < MIN_ARTICLE_CHARS:
        raise NotAnArticle(gettext_noop("No article text on this page (%(count)d characters; at least %(minimum)d "
                                        "needed) — is it a homepage or a list page? %(url)s"),
                           count=len(text), minimum=MIN_ARTICLE_CHARS, url=url)
    visible = _visible_head(html)
    byline = find_byline(visible)
    title = (result.title or "").strip() or _html_title(html)
    author = byline.author or _plausible_author(result.author)
    source_name = byline.source or (result.sitename or "").strip()
    published = _parse_date(result.date)
    precise = find_date(visible)
    if precise is not None and (published is None or precise.date() == published.date()):
        published = precise  # same day, but with the time of the byline
    paragraphs = _without_header_lines([line.strip() for line in text.splitlines() if line.strip()], title)
    return Document(
        title=title,
        text="\n\n".join(paragraphs),
        url=url,
        html="".join(f"<p>{_escape(p)}</p>" for p in paragraphs),
        author=author,
        source_name=source_name,
        published=published,
        tags=tuple(t.strip() for t in (result.tags or []) if t.strip()),
    )


def find_byline(text: str) -> Byline:
    """Find a Chinese (or English) author and source line in visible page text."""
    author = ""
    for pattern in _AUTHOR_PATTERNS:
        match = pattern.search(text)
        if match:
            author = re.split(r"\s{2,}|[|｜]", match.group(1).strip())[0].strip(" ,，、")
            author = _BYLINE_TAIL.sub("", author).strip()
            break
    source = ""
    match = _SOURCE_PATTERN.search(text)
    if match:
        source = match.group(1).strip()
    return Byline(author=author, source=source)


def find_date(text: str) -> datetime | None:
    """The first plausible date (``2024年3月15日 09:30``, ``2024-03-15``) in text, China time."""
    for match in _DATE_PATTERN.finditer(text):
        year, month, day, hour, minute = match.groups()
        try:
            moment = datetime.combine(
                date(int(year), int(month), int(day)),
                time(int(hour or 0), int(minute or 0)),
                tzinfo=CHINA,
            )
        except ValueError:
            continue
        return moment
    return None


def absolute_links(html: str, base_url: str) -> list[str]:
    """Every ``<a href>`` on a list page, made absolute, in page order, without repeats."""
    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        return []
    seen: dict[str, None] = {}
    for href in tree.xpath("//a/@href"):
        href = href.strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        seen.setdefault(urljoin(base_url, href).split("#")[0], None)
    return list(seen)


_META_LINE = re.compile(r"(来\s*源|作\s*者|记\s*者|编\s*辑|发布时间|阅读)\s*[：:]?|^\s*(20|19)\d{2}\s*[年\-/.]")


def _without_header_lines(paragraphs: list[str], title: str) -> list[str]:
    """Drop the title and byline/date lines that trafilatura keeps at the top and bottom."""
    while paragraphs and (paragraphs[0] == title or (len(paragraphs[0]) < 100 and _META_LINE.search(paragraphs[0]))):
        paragraphs = paragraphs[1:]
    while paragraphs and len(paragraphs[-1]) < 40 and re.match(r"^[（(]?\s*(责任)?编辑\s*[：:]", paragraphs[-1]):
        paragraphs = paragraphs[:-1]
    return paragraphs


def _visible_head(html: str) -> str:
    """Visible text of the page's first part, where bylines and dates live."""
    body = re.sub(r"<head\b.*?</head>", " ", html[:200_000], flags=re.IGNORECASE | re.DOTALL)
    return html_to_text(body)[:6000]


def _plausible_author(value: str | None) -> str:
    value = (value or "").strip()
    return value if 0 < len(value) <= 40 else ""


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=CHINA)
    return parsed


def _html_title(html: str) -> str:
    match = re.search(r"<title[^>]*>(.*?)</title>", html, re.IGNORECASE | re.DOTALL)
    return " ".join(html_to_text(match.group(1)).split()) if match else ""


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
