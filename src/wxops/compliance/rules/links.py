"""External links (2.2): a WeChat article may not lead readers off the platform unchecked."""

from __future__ import annotations

import re

from wxops.compliance.findings import Severity
from wxops.compliance.rules.base import Rule, Subject

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


def host_of(url: str) -> str:
    rest = url.split("://", 1)[-1]
    return re.split(r"[/:?#]", rest, maxsplit=1)[0].lower()


class ExternalLinkRule(Rule):
    name = "external_link"
    clause = "2.2"

    def find(self, subject: Subject):
        for start, end in candidates(subject.text):
            url = subject.text[start:end].rstrip(".,;:!?)]}")
            host = host_of(url)
            if any(host == h or host.endswith("." + h) for h in PLATFORM_HOSTS):
                continue
            yield self.finding(subject, start, start + len(url), severity=Severity.REVIEW,
                               message=f"外部链接 {host}（附件一 2.2：可能是垃圾广告或站外引流）",
                               suggestion="确认链接可信，或删除链接")


_URL_RUN = r"[a-z0-9\-._~:/?#\[\]@!$&*+,;=%]"
_RUN_AFTER = re.compile(_URL_RUN + "*")
#: The run before a dot, read on a window reversed (the regex engine only reads forward).
_RUN_BEFORE = re.compile(_URL_RUN + "*")
_BACK = 300


def candidates(text: str):
    """Spans of URLs in ``text``. Every URL has a dot, so the regex only runs on the ASCII
    run around each dot (a Chinese text has few), never over the whole text."""
    searched_until = 0
    dot = text.find(".")
    while dot != -1:
        if dot >= searched_until:
            start = dot
            while True:  # back to the start of the run, a window at a time
                window = text[max(0, start - _BACK):start][::-1]
                step = _RUN_BEFORE.match(window).end()
                start -= step
                if step < len(window) or start == 0:
                    break
            end = _RUN_AFTER.match(text, dot + 1).end()
            for match in URL.finditer(text, start, end):
                yield match.start(), match.end()
            searched_until = end
        dot = text.find(".", max(dot + 1, searched_until))
