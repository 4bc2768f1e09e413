"""Staff submissions (公司内部): checked against the content rules, pooled unless blocked, never twice."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.translation import gettext as _

from wxops.compliance.findings import Finding, Severity
from wxops.core import clock

from ..candidates import Document
from ..ingestion import ingest
from ..models import Item, ReprintStatus, Source, SourceKind
from .permissions import can_submit, require


@dataclass(frozen=True)
class SubmissionResult:
    """A submission's outcome.

    ``item`` is the pooled item (None when blocked); ``duplicate`` means the very same text
    was submitted before and ``item`` is that earlier submission — nothing new was stored.
    """

    item: Item | None
    findings: tuple[Finding, ...]
    blocked: bool
    duplicate: bool = False

    def findings_as_dicts(self) -> list[dict]:
        return [finding.as_dict() for finding in self.findings]


def check_content_rules(title: str, text: str, account=None) -> tuple[tuple[Finding, ...], bool]:
    """The single call site of the content rules (附件一) for submissions: ``(findings, blocked)``.

    A verdict of "block" keeps the submission out of the pool; "review" findings are stored
    with the item and shown to the submitter.
    """
    from wxops.compliance import actions as compliance_actions
    from wxops.compliance.engine import TextTooLong
    from wxops.compliance.findings import Verdict

    try:
        report = compliance_actions.check_text(f"{title}\n{text}", account)
    except TextTooLong as error:
        raise ValidationError({"text": str(error)}) from error
    return report.findings, report.verdict == Verdict.BLOCK


def submission_key(account, title: str, text: str) -> str:
    """The identity of a submission: the same title and text (spacing aside) is the same submission."""
    normalised = " ".join(title.split()) + "\n" + " ".join(text.split())
    return "submission:" + hashlib.sha256(f"{account.pk}\n{normalised}".encode()).hexdigest()[:40]


def submit(user, account, *, title: str, text: str, url: str = "", author: str = "") -> SubmissionResult:
    """A staff member's submission: checked against the content rules, then pooled unless blocked.

    An identical resubmission stores nothing and comes back with ``duplicate=True`` and the
    earlier item, so the submitter can be told. Raises ``PermissionDenied`` for someone who
    is not staff and ``ValidationError`` (per field) for a missing title or too short a text.
    """
    require(can_submit(user), _("Only staff members may submit material."))
    title, text = (title or "").strip(), (text or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("A title is required.")
    if len(text) < 20:
        errors["text"] = _("The text needs at least 20 characters.")
    if errors:
        raise ValidationError(errors)
    key = submission_key(account, title, text)
    earlier = Item.objects.filter(account=account, guid=key).select_related("story", "category").first()
    if earlier is not None:
        stored = tuple(_finding(data) for data in earlier.findings if isinstance(data, dict) and _is_finding(data))
        return SubmissionResult(earlier, stored, False, duplicate=True)
    findings, blocked = check_content_rules(title, text, account)
    if blocked:
        return SubmissionResult(None, findings, True)
    source, _created = Source.objects.get_or_create(
        name=f"{account.name} · 员工投稿", defaults={"account": account, "kind": SourceKind.SUBMISSION})
    author = author or user.get_full_name() or user.get_username()
    document = Document(title=title, text=text, url=url, guid=key, author=author, source_name="员工投稿",
                        html="".join(f"<p>{escape(p.strip())}</p>" for p in text.split("\n") if p.strip()),
                        published=clock.now(), reprint=ReprintStatus.ORIGINAL)
    summary = ingest(account, [document], source=source, submitted_by=user,
                     findings=[finding.as_dict() for finding in findings])
    if summary.failed or not summary.items:
        message = (summary.problems[0].translated(_) if summary.problems
                   else _("This text is already in the pool."))
        raise ValidationError({"text": message})
    return SubmissionResult(Item.objects.get(pk=summary.items[0]), findings, False)


_FINDING_FIELDS = {"rule", "clause", "severity", "start", "end", "text", "message", "suggestion"}


def _is_finding(data: dict) -> bool:
    return _FINDING_FIELDS >= set(data) >= _FINDING_FIELDS - {"suggestion"}


def _finding(data: dict) -> Finding:
    return Finding(**{**data, "severity": Severity(data["severity"])})
