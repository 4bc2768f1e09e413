"""Findings shown in their text: one ``<mark>`` for every screen that highlights them.

    from wxops.compliance.highlighting import highlighted, excerpt
    highlighted(report)                  # the whole checked text, every finding marked (HTML)
    excerpt(report.text, finding).html   # …30 characters before <mark>finding</mark> 30 after…
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape

from wxops.compliance.findings import Finding, Report

#: Characters shown on each side of a finding in an excerpt.
CONTEXT = 30


def mark(finding: Finding, text: str | None = None) -> str:
    """``finding`` (or ``text``) wrapped in a ``<mark>`` whose class names its severity and
    whose title gives the clause and the message."""
    shown = finding.text if text is None else text
    return (f'<mark class="wxops-finding wxops-{finding.severity.value}" '
            f'title="{escape(finding.clause)} {escape(finding.message)}">{escape(shown) or "—"}</mark>')


def highlighted(report: Report) -> str:
    """The checked text as HTML with every finding marked (overlapping findings: the first wins)."""
    parts, position = [], 0
    for finding in report.findings:
        if finding.start < position or finding.end <= finding.start:
            continue
        parts.append(escape(report.text[position:finding.start]))
        parts.append(mark(finding, report.text[finding.start:finding.end]))
        position = finding.end
    parts.append(escape(report.text[position:]))
    return "".join(parts)


@dataclass(frozen=True)
class Excerpt:
    """A finding with up to :data:`CONTEXT` characters each side (``…`` where the text goes on)."""

    finding: Finding
    before: str
    after: str

    @property
    def html(self) -> str:
        return f"{escape(self.before)}{mark(self.finding)}{escape(self.after)}"


def excerpt(text: str, finding: Finding, context: int = CONTEXT) -> Excerpt:
    before = text[max(0, finding.start - context):finding.start]
    after = text[finding.end:finding.end + context]
    return Excerpt(finding, ("…" if finding.start > context else "") + before,
                   after + ("…" if finding.end + context < len(text) else ""))
