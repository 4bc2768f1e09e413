"""Which keyword rule answers a follower's text: normalising, the three match types, the order.

Pure functions over plain values, so the callback's handler and the admin's "try it" use the
same code. ``normalise`` makes 「ＳＯＳ 社保？」 and 「sos社保?」 the same text: NFKC (full-width →
half-width), case folded, spaces removed. Exact also ignores punctuation at both ends.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import regex

logger = logging.getLogger("wxops.interaction.replies")

#: A regular expression gets this long on one message; beyond it the rule is skipped (and logged).
REGEX_TIMEOUT_SECONDS = 0.05
#: Longest expression accepted in a rule (one line).
REGEX_MAX_LENGTH = 200
_EDGE_PUNCTUATION = "。，、！？!?,.;；:：~～…·'\"“”‘’()（）[]【】「」《》<> "


@dataclass(frozen=True)
class RuleView:
    """What matching needs of a keyword rule (``models.KeywordRule``)."""

    pk: int
    match_type: str
    keywords: tuple[str, ...]
    reply_text: str
    priority: int
    media_id: str = ""  # an image reply: the picture's permanent material
    news: tuple = ()  # a news reply: its card (wxops.wechat.NewsItem)


def normalise(text: str) -> str:
    """Full-width to half-width, case folded, without spaces: what exact and contains compare."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(folded.split())


def _exact_form(text: str) -> str:
    return normalise(text).strip(_EDGE_PUNCTUATION)


def compile_expression(pattern: str) -> regex.Pattern:
    """The compiled expression, case-insensitive; ``ValueError`` saying what is wrong with it."""
    if len(pattern) > REGEX_MAX_LENGTH:
        raise ValueError(f"longer than {REGEX_MAX_LENGTH} characters")
    try:
        return regex.compile(pattern, regex.IGNORECASE | regex.V0)
    except regex.error as error:
        raise ValueError(str(error)) from None


def matches(rule: RuleView, text: str) -> bool:
    """Whether ``rule`` matches the follower's ``text``. A faulty or too slow expression never matches."""
    if rule.match_type == "exact":
        wanted = _exact_form(text)
        return bool(wanted) and any(_exact_form(keyword) == wanted for keyword in rule.keywords)
    if rule.match_type == "contains":
        haystack = normalise(text)
        return any(normalise(keyword) and normalise(keyword) in haystack for keyword in rule.keywords)
    if rule.match_type == "regex":
        for pattern in rule.keywords:
            try:
                if compile_expression(pattern).search(text, timeout=REGEX_TIMEOUT_SECONDS):
                    return True
            except ValueError:
                logger.warning("keyword rule %s: expression %r does not compile; skipped", rule.pk, pattern[:40])
            except TimeoutError:
                logger.warning("keyword rule %s: expression %r took over %.2f s; skipped", rule.pk, pattern[:40],
                               REGEX_TIMEOUT_SECONDS)
        return False
    return False


def first_match(rules: Iterable[RuleView], text: str) -> RuleView | None:
    """The first rule by (priority, id) that matches ``text``, or None."""
    for rule in sorted(rules, key=lambda r: (r.priority, r.pk)):
        if matches(rule, text):
            return rule
    return None
