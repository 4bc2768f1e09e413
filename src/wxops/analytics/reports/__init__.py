"""The fortnightly report (运营情况分析): its content, charts and the three files.

    files = render_report(account, date(2026, 3, 2), date(2026, 3, 15))
    files.xlsx, files.pdf, files.docx          # bytes
    files.content.advice                       # the recommendations, in sentences

``content`` decides what is said; ``charts``, ``workbook`` (XLSX), ``printed`` (PDF) and
``document`` (DOCX) only lay it out. :func:`wxops.analytics.actions.make_report` keeps the
files on a :class:`~wxops.analytics.models.Report` row and mails them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from wxops.accounts.models import Account
from wxops.accounts.times import shown
from wxops.analytics.reports.charts import draw_charts
from wxops.analytics.reports.content import ReportContent, build_content
from wxops.analytics.reports.document import report_docx
from wxops.analytics.reports.printed import report_pdf
from wxops.analytics.reports.workbook import report_xlsx
from wxops.core import clock
from wxops.core.documents import chinese


@dataclass(frozen=True)
class ReportFiles:
    content: ReportContent
    xlsx: bytes
    pdf: bytes
    docx: bytes

    def named(self) -> dict[str, bytes]:
        """File name → bytes, e.g. ``report-20260302-20260315.pdf``."""
        stem = f"report-{self.content.start:%Y%m%d}-{self.content.end:%Y%m%d}"
        return {f"{stem}.xlsx": self.xlsx, f"{stem}.pdf": self.pdf, f"{stem}.docx": self.docx}


def render_report(account: Account, start: dt.date, end: dt.date, *, now: dt.datetime | None = None) -> ReportFiles:
    """The report of ``start..end`` (account days, inclusive) as XLSX, PDF and DOCX bytes, in Chinese
    and the desk's date style (2026年3月2日) whatever the language of whoever made it."""
    with chinese.language():
        content = build_content(account, start, end, now=now)
        charts = draw_charts(content.metrics, fmt="png")
        made_at = shown(clock.now(), account)
        return ReportFiles(content, report_xlsx(content), report_pdf(content, charts, made_at),
                           report_docx(content, charts, made_at))


__all__ = ["ReportContent", "ReportFiles", "build_content", "render_report"]
