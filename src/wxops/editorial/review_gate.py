"""The content rules (附件一) as a gate on review and on sending.

- Submitting an article for review (Wagtail workflow), publishing it directly, or a
  reviewer approving it from the edit view is refused while it has ``block`` findings:
  those actions disappear from the menu, and one posted anyway is saved as a draft
  instead, with a message that names the findings.
- :func:`gate_for_send` is the check at the moment of sending, for publishing: BLOCK holds
  the send; REVIEW means a ``review`` finding nobody has acknowledged yet.

    from wxops.editorial.review_gate import gate_for_send, hold_reason
    if gate_for_send(article) != Verdict.PASS:
        hold(article, reason=hold_reason(article))
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from wxops.compliance import actions as compliance
from wxops.compliance.article_check import DocumentReport
from wxops.compliance.findings import Finding, Severity, Verdict, summary_line

#: Characters shown on each side of a finding when it is highlighted in context.
CONTEXT = 30
#: Actions of the edit view that move a blocked article forward: submit for review, restart
#: the review, publish (approve without review), and a reviewer's "approve".
GATED_POST_ACTIONS = ("action-submit", "action-restart-workflow", "action-publish")
GATED_MENU_ITEMS = (*GATED_POST_ACTIONS, "approve")
SUBMIT_ACTIONS = GATED_POST_ACTIONS  # the name publishing and older code use

# gettext_noop marks the labels for makemessages; field_label() translates them when shown.
FIELD_LABELS = {"title": gettext_noop("Title"), "author": gettext_noop("Author"),
                "digest": gettext_noop("Digest"), "body": gettext_noop("Body")}


def findings_for(article, *, images: bool = True) -> DocumentReport:
    """Every finding of ``article`` (title, author, digest, body, pictures), decisions applied."""
    return compliance.check_document(article, images=images)


def gate_for_send(article) -> Verdict:
    """The verdict at the moment of sending: BLOCK (hold the send), REVIEW (unacknowledged
    review findings remain) or PASS. Overridden findings and acknowledged review findings
    no longer count."""
    return findings_for(article).verdict


def gate_for_submission(article) -> DocumentReport | None:
    """None when ``article`` may be submitted for review; else the report that blocks it."""
    report = findings_for(article)
    return report if report.verdict == Verdict.BLOCK else None


def blocking(report: DocumentReport) -> list[tuple[str, Finding]]:
    open_ids = {id(f) for f in report.open_findings}
    return [(field, f) for field, f, _d in report.findings() if f.severity == Severity.BLOCK and id(f) in open_ids]


def field_label(field: str) -> str:
    if field.startswith("image:"):
        return _("Picture %(name)s") % {"name": field.split(":", 1)[1]}
    return _(FIELD_LABELS.get(field, field))


def hold_reason(article) -> str:
    """One paragraph telling an editor and an administrator why ``article`` cannot go out."""
    report = findings_for(article)
    if report.verdict == Verdict.PASS:
        return ""
    items = blocking(report) or [(field, f) for field, f, d in report.findings()
                                 if f in report.open_findings]
    listed = summary_line((field_label(field), f) for field, f in items)
    if report.verdict == Verdict.BLOCK:
        return _("Held: %(count)d blocking content-rule findings (附件一). %(list)s") % {
            "count": len(items), "list": listed}
    return _("Held: %(count)d content-rule findings wait for a reviewer's acknowledgement. %(list)s") % {
        "count": len(items), "list": listed}


@dataclass(frozen=True)
class Highlight:
    """A finding with its surroundings, ready to show: before + <mark>text</mark> + after."""

    field: str
    finding: Finding
    decision: str
    before: str
    after: str

    @property
    def label(self) -> str:
        return field_label(self.field)

    @property
    def html(self) -> str:
        return (f"{escape(self.before)}<mark class=\"wxops-finding wxops-{self.finding.severity.value}\">"
                f"{escape(self.finding.text) or '—'}</mark>{escape(self.after)}")


def highlights(report: DocumentReport) -> list[Highlight]:
    result = []
    for part in report.parts:
        text = part.report.text
        for finding in part.report.findings:
            before = text[max(0, finding.start - CONTEXT):finding.start]
            after = text[finding.end:finding.end + CONTEXT]
            decision = report.decisions.get((part.field, finding.fingerprint), "")
            result.append(Highlight(part.field, finding, decision,
                                    ("…" if finding.start > CONTEXT else "") + before,
                                    after + ("…" if finding.end + CONTEXT < len(text) else "")))
    return result
