"""The leaderboard as an Excel file (openpyxl): one sheet, the lines the user sees, nothing more."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from .numbers import Period, Standing


def leaderboard_xlsx(title: str, period: Period, lines: list[Standing], *, by: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Leaderboard")[:31]
    sheet.append([title, str(period)])
    sheet["A1"].font = Font(bold=True, size=14)
    header = [_("Rank"), _("Employee") if by == "employee" else _("Branch")]
    header += [_("Branch")] if by == "employee" else []
    header += [_("New followers"), _("Returned"), _("Lost"), _("Net"), _("Scans"), _("7-day retention"),
               _("30-day retention")]
    header += [_("Target"), _("Progress")] if by == "branch" else []
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for rank, line in enumerate(lines, start=1):
        row: list = [rank, line.label + ("" if line.active else f" ({_('left')})")]
        row += [line.branch] if by == "employee" else []
        row += [line.new, line.returned, line.lost, line.net, line.scans, line.retention_7, line.retention_30]
        row += [line.target, line.progress] if by == "branch" else []
        sheet.append(row)
    percent_columns = [i for i, name in enumerate(header, start=1)
                       if name in (_("7-day retention"), _("30-day retention"), _("Progress"))]
    for row in sheet.iter_rows(min_row=3):
        for column in percent_columns:
            row[column - 1].number_format = "0.0%"
    sheet.column_dimensions["B"].width = 24
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
