"""What a check finds: clauses of the plan's Appendix 1, severities, findings and the verdict.

Pure Python (no Django): these values cross layers (editorial, publishing, the CLI and the
API all read them), so they are frozen dataclasses and plain enums.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from operator import attrgetter


def gettext_noop(message: str) -> str:
    """Marks a msgid for ``makemessages`` without importing Django; translated where shown."""
    return message


class Severity(StrEnum):
    """How hard a finding stops the article — the one severity of wxops (model choices too).

    ``block``: cannot be submitted for review nor sent. ``review``: a reviewer must
    acknowledge it. ``advisory``: shown, never stops anything.
    """

    BLOCK = "block"
    REVIEW = "review"
    ADVISORY = "advisory"

    @property
    def rank(self) -> int:
        return _RANKS[self.value]

    @property
    def label(self) -> str:
        """Short name to show (English msgid: ``gettext(severity.label)`` gives 阻止 / 审核 / 提示)."""
        return _SEVERITY_WORDS[self.value][0]

    @property
    def description(self) -> str:
        """What it means, for choices and help (English msgid, translate where shown)."""
        return _SEVERITY_WORDS[self.value][1]


_RANKS = {"block": 2, "review": 1, "advisory": 0}
_SEVERITY_WORDS = {
    "block": (gettext_noop("block"), gettext_noop("block — cannot be submitted or sent")),
    "review": (gettext_noop("review"), gettext_noop("review — a reviewer must acknowledge it")),
    "advisory": (gettext_noop("advisory"), gettext_noop("advisory — shown only")),
}


class Verdict(StrEnum):
    BLOCK = "block"
    REVIEW = "review"
    PASS = "pass"  # noqa: S105 — a verdict, not a password


#: The clauses of 附件一 内容规范, numbered as the appendix does.
CLAUSES: dict[str, str] = {
    "1.1": "反对宪法确定的基本原则",
    "1.2": "危害国家安全、泄露国家秘密、颠覆国家政权、破坏国家统一",
    "1.3": "损害国家荣誉和利益",
    "1.4": "煽动民族仇恨、民族歧视，破坏民族团结",
    "1.5": "破坏国家宗教政策，宣扬邪教和封建迷信",
    "1.6": "散布谣言，扰乱社会秩序，破坏社会稳定",
    "1.7": "散布淫秽、色情、赌博、暴力、凶杀、恐怖或者教唆犯罪",
    "1.8": "侮辱或者诽谤他人，侵害他人合法权益",
    "1.9": "法律、行政法规禁止的其他内容（含广告法极限用语、金融营销承诺）",
    "2.1": "色情或性暗示内容",
    "2.2": "骚扰、垃圾广告、诱导分享",
    "2.3": "他人隐私、个人信息",
    "2.4": "其他干扰平台正常运营或侵犯他人合法权益的内容",
    "3": "违背公司利益或公司禁止的内容",
}


def clause_title(clause: str) -> str:
    return CLAUSES.get(clause, clause)


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing found, with character offsets ``[start, end)`` into the checked text."""

    rule: str
    clause: str
    severity: Severity
    start: int
    end: int
    text: str
    message: str
    suggestion: str = ""

    def __init__(self, rule: str, clause: str, severity: Severity, start: int, end: int, text: str, message: str,
                 suggestion: str = ""):
        # What the generated __init__ does, without looking up object.__setattr__ once a field
        # (half the cost of a finding; a dense page has 40,000 of them).
        _set_rule(self, rule)
        _set_clause(self, clause)
        _set_severity(self, severity)
        _set_start(self, start)
        _set_end(self, end)
        _set_text(self, text)
        _set_message(self, message)
        _set_suggestion(self, suggestion)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    @property
    def fingerprint(self) -> str:
        """Stable across edits that move the finding: what an override is recorded against."""
        key = f"{self.rule}|{self.clause}|{self.text}".encode()
        return hashlib.sha256(key).hexdigest()[:16]


_set_rule, _set_clause, _set_severity, _set_start, _set_end, _set_text, _set_message, _set_suggestion = (
    getattr(Finding, name).__set__
    for name in ("rule", "clause", "severity", "start", "end", "text", "message", "suggestion"))


def summary_line(found: Iterable[tuple[str, Finding]], *, limit: int = 10) -> str:
    """The findings in one line, each as ``WHERE「TEXT」CLAUSE MESSAGE``, the first ``limit`` of them.

    ``found`` pairs where each finding is (a field's label such as 标题, or "") with the
    finding: what a hold reason, a refusal message or a log line names.
    """
    found = list(found)
    items = [f"{where}「{f.text}」{f.clause} {f.message}".strip() for where, f in found[:limit]]
    if len(found) > limit:
        items.append(f"… (+{len(found) - limit})")
    return "; ".join(items)


def verdict_of(findings: tuple[Finding, ...] | list[Finding]) -> Verdict:
    severities = {f.severity for f in findings}
    if Severity.BLOCK in severities:
        return Verdict.BLOCK
    if Severity.REVIEW in severities:
        return Verdict.REVIEW
    return Verdict.PASS


_POSITION = attrgetter("start", "end", "rule", "clause")


@dataclass(frozen=True, slots=True)
class Report:
    """The result of checking one text: the findings, ordered by position, and the verdict."""

    text: str
    findings: tuple[Finding, ...] = ()
    verdict: Verdict = field(default=Verdict.PASS)

    @classmethod
    def of(cls, text: str, findings) -> Report:
        ordered = tuple(sorted(findings, key=_POSITION))
        return cls(text=text, findings=ordered, verdict=verdict_of(ordered))

    def as_dict(self) -> dict:
        """The JSON shape of the CLI and the API."""
        return {"verdict": self.verdict.value, "findings": [f.as_dict() for f in self.findings]}
