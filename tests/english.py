"""Finding English on a screen that should be Chinese: shared by the zh-hans screen test and the
browser walks of each role.

A screen's visible text (tags, scripts and styles removed; placeholders and button values kept)
is searched for runs of two or more English words. What may stay English is listed here: names
of things (WeChat, AppID, RSS), codes people type, and the user's own content (tests use Chinese
content). Every phrase the issue named is also looked for verbatim.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: Phrases seen in English on the desk's screens (issue 16), looked for verbatim.
KNOWN_LEAKS = (
    "has been submitted for moderation",
    "Anyone can edit this",
    "Privacy and access",
    "new items in this menu",
    "new item in this menu",
    "Article review",
    "Reviewer approval",
    "This picture is already in the library",
    "Please provide an image description",
    "Connection refused",
    "Name or service not known",
    "Search all pages",
    "Mail connection error",
)
#: Words that are names or codes, fine inside Chinese text.
ALLOWED_WORDS = {
    "wechat", "appid", "appsecret", "encodingaeskey", "token", "openid", "unionid", "wxops", "wagtail", "rss",
    "atom", "url", "urls", "api", "ip", "qr", "http", "https", "html", "csv", "xlsx", "docx", "pdf", "png", "jpg",
    "jpeg", "gif", "svg", "webp", "avif", "id", "ok", "ocr", "smtp", "pii", "js", "json", "xml", "utc", "gmt", "asia",
    "shanghai", "msgid", "msgtype", "event", "media", "bearer", "wx", "demo", "invalid", "example", "com", "cn",
    "gov", "org", "www", "mp", "weixin", "qq", "alt", "max", "min", "cdn", "to", "csrf", "admin", "ctrl", "esc",
}
ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'’]+(?:[ \t]*[,.:;!?()…-]?[ \t]+[A-Za-z][A-Za-z'’]+)+")
#: A command people type (``wxops report``) is a code, not English.
COMMANDS = re.compile(r"\bwxops [a-z][\w-]*(?: [a-z][\w-]*)?")
#: Elements whose content nobody reads on the screen.
HIDDEN_ELEMENTS = {"script", "style", "svg", "noscript", "textarea"}
#: Attributes a person reads: placeholders, button captions, tooltips.
READ_ATTRIBUTES = {"placeholder", "title"}


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN_ELEMENTS:
            self.hidden += 1
        if self.hidden:
            return
        attributes = dict(attrs)
        for name in READ_ATTRIBUTES:
            if attributes.get(name):
                self.parts.append(attributes[name])
        if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
            self.parts.append(attributes["value"])

    def handle_endtag(self, tag):
        if tag in HIDDEN_ELEMENTS and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(page_html: str) -> str:
    """The words a person reads: text outside scripts and templates, plus placeholders, captions and
    tooltips; one line per piece, with addresses and file paths taken out."""
    parser = _VisibleText()
    parser.feed(page_html)
    text = "\n".join(parser.parts)
    return re.sub(r"https?://\S+|[\w.+-]+@[\w.-]+|/[\w./?=&%-]+", " ", text)


def english_runs(page_html: str, shown_text: str | None = None) -> list[str]:
    """Runs of two or more English words that are not all names or codes, and the known leaks.

    ``shown_text`` is what a browser renders (``inner_text``: hidden elements left out); without
    it the text is taken from the HTML, hidden parts included.
    """
    found = []
    text = visible_text(page_html) if shown_text is None else shown_text
    text = COMMANDS.sub(" ", text)
    for line in text.splitlines():
        for run in ENGLISH_RUN.findall(line):
            words = [w.lower().strip("'’") for w in re.findall(r"[A-Za-z'’]+", run)]
            if any(word not in ALLOWED_WORDS for word in words):
                found.append(run.strip())
    for phrase in KNOWN_LEAKS:
        if phrase in page_html:
            found.append(phrase)
    return sorted(set(found))
