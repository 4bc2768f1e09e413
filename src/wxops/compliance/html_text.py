"""The checkable text of an HTML body: text nodes, link targets and image alt text.

Findings on HTML carry offsets into this extracted text (the CLI's and API's contract).
Link targets and alt texts are written inline where they occur, as ``[链接 URL]`` and
``[图片 ALT]``, so a reviewer sees them in context. Wagtail rich text's ``<embed
embedtype="image" alt=…>`` counts as an image. Broken HTML is read as far as it goes:
:class:`html.parser.HTMLParser` never raises on bad markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "pre", "section",
    "table", "td", "th", "tr", "ul",
}
SKIPPED_TAGS = {"script", "style", "template", "noscript", "head", "title"}


@dataclass(frozen=True, slots=True)
class ExtractedHtml:
    text: str
    links: tuple[str, ...]
    images: tuple[str, ...]  # src of <img>, or "embed:<id>" of Wagtail image embeds


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self.images: list[str] = []
        self._skipping = 0
        self._pending_links: list[str | None] = []

    def _newline(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_starttag(self, tag, attrs):
        values = {name: value or "" for name, value in attrs}
        if tag in SKIPPED_TAGS:
            self._skipping += 1
        elif tag in BLOCK_TAGS:
            self._newline()
        if tag == "a":
            href = values.get("href", "").strip()
            self._pending_links.append(href or None)
            if href:
                self.links.append(href)
        elif tag == "img" or (tag == "embed" and values.get("embedtype") == "image"):
            source = values.get("src", "") or (f"embed:{values['id']}" if values.get("id") else "")
            if source:
                self.images.append(source)
            alt = values.get("alt", "").strip()
            if alt:
                self.parts.append(f"[图片 {alt}]")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "a":
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in BLOCK_TAGS:
            self._newline()
        if tag == "a" and self._pending_links:
            href = self._pending_links.pop()
            if href:
                self.parts.append(f" [链接 {href}]")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def extract(html: str) -> ExtractedHtml:
    """Extract the checkable text of ``html`` (see the module docstring)."""
    parser = _Extractor()
    parser.feed(html.removeprefix("\ufeff"))  # a BOM is an encoding mark, not text: offsets start after it
    parser.close()
    for href in reversed(parser._pending_links):  # unclosed <a> at the end of broken HTML
        if href:
            parser.parts.append(f" [链接 {href}]")
    return ExtractedHtml(text="".join(parser.parts).strip("\n"), links=tuple(parser.links),
                         images=tuple(parser.images))


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith("<") and ("<p" in text or "<div" in text or "<html" in head or "<!doctype" in head
                                     or "<body" in text or "<br" in text or "<img" in text or "<a " in text)
