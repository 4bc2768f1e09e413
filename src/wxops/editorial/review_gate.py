"""The content rules (附件一) as a gate on one article: on review and on sending.

- Submitting an article for review (Wagtail workflow), publishing it directly, or a
  reviewer approving it from the edit view is refused while it has ``block`` findings
  (see :mod:`wxops.editorial.action_menu` and :mod:`wxops.editorial.views`).
- :func:`gate_for_send` is the verdict on one article (revision) at the moment of sending:
  BLOCK; REVIEW (a ``review`` finding nobody has acknowledged yet); or PASS. A whole push is
  checked by :func:`wxops.editorial.actions.gate_for_send`, which calls it per article::

    verdict = gate_for_send(revision.as_object())
    if verdict != Verdict.PASS:
        reason = hold_reason(revision.as_object())
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from wxops.compliance import actions as compliance
from wxops.compliance.article_check import DocumentReport
from wxops.compliance.findings import Finding, Severity, Verdict, summary_line
from wxops.compliance.highlighting import excerpt
from wxops.materials.pictures.ocr import picture_text, stored_or_queued

#: Actions of the edit view that move a blocked article forward: submit for review, restart
#: the review, publish (approve without review), and a reviewer's "approve".
GATED_POST_ACTIONS = ("action-submit", "action-restart-workflow", "action-publish")
GATED_MENU_ITEMS = (*GATED_POST_ACTIONS, "approve")

# gettext_noop marks the labels for makemessages; field_label() translates them when shown.
FIELD_LABELS = {"title": gettext_noop("Title"), "author": gettext_noop("Author"),
                "digest": gettext_noop("Digest"), "body": gettext_noop("Body")}


def findings_for(article, *, images: bool = True, read_now: bool = False) -> DocumentReport:
    """Every finding of ``article`` (title, author, digest, body, pictures), decisions applied.

    A picture's text is read once, by the worker, when it is uploaded, and kept. A request
    never reads one: a picture not read yet is queued and counts as an ``image.pending``
    finding, which blocks until the worker has read it. ``read_now=True`` is for the worker
    itself (the check at sending time), which reads such a picture at once.
    """
    reader = picture_text if read_now else stored_or_queued
    return compliance.check_document(article, images=images, reader=reader)


def findings_on_screen(request, article) -> DocumentReport:
    """:func:`findings_for` once per request and article: the edit page's findings panel and its
    action menu show the same report, computed once."""
    shown = request.__dict__.setdefault("_wxops_findings_on_screen", {})
    if article.pk not in shown:
        shown[article.pk] = findings_for(article)
    return shown[article.pk]


def gate_for_send(article) -> Verdict:
    """The verdict at the moment of sending: BLOCK (hold the send), REVIEW (unacknowledged
    review findings remain) or PASS. Overridden findings and acknowledged review findings
    no longer count."""
    return findings_for(article, read_now=True).verdict


def gate_for_submission(article, *, read_now: bool = False) -> DocumentReport | None:
    """None when ``article`` may be submitted for review; else the report that blocks it."""
    report = findings_for(article, read_now=read_now)
    return report if report.verdict == Verdict.BLOCK else None


def blocking(report: DocumentReport) -> list[tuple[str, Finding]]:
    """The ``block`` findings of ``report`` that still count, as (field, finding)."""
    open_ids = {id(f) for f in report.open_findings}
    return [(field, f) for field, f, _d in report.findings() if f.severity == Severity.BLOCK and id(f) in open_ids]


def field_label(field: str) -> str:
    """The field's name as an editor reads it (标题, 正文, 封面图片 社保封面 …).

    A picture's field is ``image:<place> <title>`` (compliance's key: ``cover`` or ``body-<id>``);
    the place is said in words, not shown as the key.
    """
    if field.startswith("image:"):
        place, _space, title = field.split(":", 1)[1].partition(" ")
        label = _("Cover picture") if place == "cover" else _("Picture in the body")
        return f"{label} {title}".strip()
    return _(FIELD_LABELS.get(field, field))


def hold_reason(article) -> str:
    """One paragraph telling an editor and an administrator why ``article`` cannot go out (at sending)."""
    report = findings_for(article, read_now=True)
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
    """A finding of one field of an article, with its decision and its excerpt ready to show."""

    field: str
    finding: Finding
    decision: str
    html: str

    @property
    def label(self) -> str:
        return field_label(self.field)


def highlights(report: DocumentReport) -> list[Highlight]:
    """Every finding of ``report`` in its context, field by field."""
    result = []
    for part in report.parts:
        for finding in part.report.findings:
            decision = report.decisions.get((part.field, finding.fingerprint), "")
            result.append(Highlight(part.field, finding, decision, excerpt(part.report.text, finding).html))
    return result
