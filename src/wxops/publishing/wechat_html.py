"""An article's rich text as the HTML WeChat takes: allowed tags only, inline styles, no scripts.

WeChat keeps only inline ``style=`` (no classes, no ``<style>``), strips scripts, drops
pictures not hosted by ``media/uploadimg`` and does not make outside links clickable in an
article. So this renderer:

* keeps a small set of tags, each with its inline style (:data:`STYLES`); any other tag is
  unwrapped (its text kept), and script-like tags are dropped with their content;
* turns each picture embed into ``<img src=…>`` with the URL ``image_url(picture)`` gives
  (an uploadimg URL when sending, a local rendition for the preview page);
* turns outside links into their text plus a numbered note, listed under 参考链接 at the end;
  links to wxops pages and documents keep their text only;
* adds ``<!-- category: … -->`` first, so the local simulator knows the category (WeChat ignores it).

    html = wechat_html(article.body, image_url=lambda picture: uploaded_url(picture), category="财务管理")
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import lxml.html
from lxml import etree

P = "margin:0 0 1em;line-height:1.75;font-size:16px;color:#333333;"
#: tag → its inline style ("" = kept without a style).
STYLES: dict[str, str] = {
    "p": P,
    "h2": "margin:1.4em 0 0.6em;font-size:20px;font-weight:bold;line-height:1.4;color:#1a1a1a;",
    "h3": "margin:1.2em 0 0.5em;font-size:18px;font-weight:bold;line-height:1.4;color:#1a1a1a;",
    "h4": "margin:1em 0 0.5em;font-size:16px;font-weight:bold;line-height:1.4;color:#1a1a1a;",
    "blockquote": "margin:1em 0;padding:0.6em 1em;border-left:3px solid #d0d0d0;background:#f7f7f7;color:#666666;",
    "ul": "margin:0 0 1em;padding-left:2em;list-style-type:disc;",
    "ol": "margin:0 0 1em;padding-left:2em;list-style-type:decimal;",
    "li": "margin:0.3em 0;line-height:1.75;font-size:16px;color:#333333;",
    "strong": "font-weight:bold;",
    "em": "font-style:italic;",
    "u": "text-decoration:underline;",
    "s": "text-decoration:line-through;",
    "sub": "", "sup": "",
    "code": "font-family:Menlo,Consolas,monospace;font-size:14px;background:#f5f5f5;padding:0 3px;",
    "pre": "margin:0 0 1em;padding:0.8em;background:#f5f5f5;font-size:14px;white-space:pre-wrap;",
    "hr": "border:none;border-top:1px solid #e5e5e5;margin:1.5em 0;",
    "br": "",
}
RENAMED = {"b": "strong", "i": "em", "strike": "s", "del": "s", "h1": "h2", "h5": "h4", "h6": "h4"}
VOID = frozenset({"br", "hr", "img"})
#: Dropped with everything inside: WeChat strips them anyway, and their text is not prose.
DROPPED = frozenset({"script", "style", "iframe", "object", "form", "input", "button", "select", "textarea",
                     "noscript", "svg", "video", "audio", "canvas", "template", "link", "meta", "head", "title"})
IMG = "display:block;max-width:100%;height:auto;margin:0 auto;"
FIGURE = "margin:0 0 1em;text-align:center;"
CAPTION = "margin:0.3em 0 0;font-size:13px;color:#888888;text-align:center;"
NOTES_TITLE = "margin:1.5em 0 0.5em;font-size:14px;font-weight:bold;color:#888888;"
NOTE = "margin:0 0 0.3em;font-size:13px;line-height:1.6;color:#888888;word-break:break-all;"

ImageUrl = Callable[[int], str]


class _Renderer:
    def __init__(self, image_url: ImageUrl):
        self.image_url = image_url
        self.notes: list[str] = []
        self.out: list[str] = []

    def children(self, element) -> None:
        if element.text:
            self.out.append(escape(element.text, quote=False))
        for child in element:
            self.node(child)
            if child.tail:
                self.out.append(escape(child.tail, quote=False))

    def node(self, element) -> None:
        if not isinstance(element.tag, str):  # comments, processing instructions
            return
        tag = RENAMED.get(element.tag.lower(), element.tag.lower())
        if tag in DROPPED:
            return
        if tag == "embed":
            self.embed(element)
        elif tag == "a":
            self.link(element)
        elif tag == "img":
            return  # a bare <img> from outside: WeChat would drop it; pictures come as embeds
        elif tag in STYLES:
            style = f' style="{STYLES[tag]}"' if STYLES[tag] else ""
            if tag in VOID:
                self.out.append(f"<{tag}{style}/>")
                return
            self.out.append(f"<{tag}{style}>")
            self.children(element)
            self.out.append(f"</{tag}>")
        else:
            self.children(element)  # unknown tag (div, span, table …): keep the text

    def embed(self, element) -> None:
        if element.get("embedtype") != "image" or not (element.get("id") or "").isdigit():
            return  # videos and other embeds cannot travel in a WeChat article
        src = self.image_url(int(element.get("id")))
        if not src:
            return
        alt = escape(element.get("alt") or "", quote=True)
        self.out.append(f'<p style="{FIGURE}"><img src="{escape(src, quote=True)}" alt="{alt}" style="{IMG}"/></p>')

    def link(self, element) -> None:
        self.children(element)
        href = (element.get("href") or "").strip()
        if element.get("linktype") or not href.startswith(("http://", "https://")):
            return  # a wxops page or document, a mailto:, an anchor: the text alone
        if href not in self.notes:
            self.notes.append(href)
        self.out.append(f"<sup>[{self.notes.index(href) + 1}]</sup>")

    def notes_html(self) -> str:
        if not self.notes:
            return ""
        lines = [f'<p style="{NOTES_TITLE}">参考链接</p>']
        lines += [f'<p style="{NOTE}">[{n}] {escape(url, quote=False)}</p>' for n, url in enumerate(self.notes, 1)]
        return "".join(lines)


def wechat_html(body: str, *, image_url: ImageUrl, category: str = "") -> str:
    """The article body (Wagtail rich text as stored) as WeChat-ready HTML.

    ``image_url(picture_id)`` returns the URL of each embedded picture ("" leaves it out).
    Raises nothing on odd HTML: unknown tags are unwrapped, dangerous ones dropped.
    """
    renderer = _Renderer(image_url)
    if body and body.strip():
        root = lxml.html.fragment_fromstring(body, create_parent="div",
                                             parser=lxml.html.HTMLParser(remove_comments=True))
        etree.strip_elements(root, etree.Comment, with_tail=False)
        renderer.children(root)
    marker = f"<!-- category: {category.replace('--', '')} -->" if category else ""
    return marker + "".join(renderer.out) + renderer.notes_html()
