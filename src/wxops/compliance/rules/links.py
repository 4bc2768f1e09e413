"""External links (2.2): a WeChat article may not lead readers off the platform unchecked."""

from __future__ import annotations

import re

import numpy

from wxops.compliance import char_classes
from wxops.compliance.char_classes import CharIndex
from wxops.compliance.findings import Finding, Severity
from wxops.compliance.rules.base import Found, Rule, Subject, findings_at

_TLDS = ("com|cn|net|org|top|xyz|cc|vip|info|io|me|shop|club|site|online|link|ly|co|tv|biz|app|ink|fun|tk|la"
         "|uk|hk|tw|mo|jp|kr|sg|us|de|fr|ru|au|ca|in|edu|gov")
_URL_CHARS = r"[a-z0-9\-._~:/?#\[\]@!$&*+,;=%]"
URL = re.compile(
    rf"(?<![\w@.])(?:(?:https?|ftp)://{_URL_CHARS}+"
    rf"|(?:www\.)?(?:[a-z0-9-]+\.)+(?:{_TLDS})(?![a-z0-9-])(?::\d+)?(?:/{_URL_CHARS}*)?)",
    re.ASCII,
)
#: Hosts of WeChat itself: links there stay on the platform.
PLATFORM_HOSTS = ("mp.weixin.qq.com", "weixin.qq.com", "wx.qq.com")
_PLATFORM_SUBDOMAINS = tuple(f".{host}" for host in PLATFORM_HOSTS)


_HOST_END = re.compile(r"[/:?#]")


def host_of(url: str) -> str:
    rest = url.split("://", 1)[-1]
    return _HOST_END.split(rest, maxsplit=1)[0].lower()


class ExternalLinkRule(Rule):
    name = "external_link"
    clause = "2.2"

    def find(self, subject: Subject) -> list[Finding]:
        found: list[Found] = []
        text = subject.text
        for start, end in candidates(text, subject.characters):
            url = text[start:end].rstrip(".,;:!?)]}")
            host = host_of(url)
            if host in PLATFORM_HOSTS or host.endswith(_PLATFORM_SUBDOMAINS):
                continue
            found.append((start, start + len(url), self.name, self.clause, Severity.REVIEW,
                          f"外部链接 {host}（附件一 2.2：可能是垃圾广告或站外引流）", "确认链接可信，或删除链接"))
        return findings_at(subject, found)


def candidates(text: str, characters: CharIndex | None = None):
    """Spans of URLs in ``text`` (``characters``: its :class:`CharIndex`, when the caller has
    it). Every URL has a dot, so the regex only runs on each run of URL characters that holds
    one (a Chinese text has few), never over the whole text."""
    if characters is None:
        characters = CharIndex.of(numpy.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=numpy.uint32))
    starts, ends = characters.runs(char_classes.URL)
    dots = characters.where(char_classes.DOT)
    with_dot = numpy.searchsorted(dots, starts) < numpy.searchsorted(dots, ends)
    for start, end in zip(starts[with_dot].tolist(), ends[with_dot].tolist(), strict=True):
        for match in URL.finditer(text, start, end):
            yield match.start(), match.end()
