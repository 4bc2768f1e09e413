"""Spreadsheets a person reads and prints (openpyxl): a table per sheet, in the CJK font, that stays
readable on screen and on paper.

    sheet = table_sheet(book, "全部问答", ["时间", "提问"], rows, widths=(18, 45), datetime_columns=(1,))

On screen: the header row stays in view (frozen) and filters; long text wraps in its column
instead of running over the next, in rows made as tall as it needs (LibreOffice does not grow a
row for wrapped text by itself: it cut the replies at one line). On paper: A4 landscape, every column on the page's width
(as many pages down as it needs), the header row again on every page, and page numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .chinese import XLSX_DATETIME
from .fonts import FONT_FAMILY

HEADER_FILL = "EEF2F6"
#: Points per line of 10 pt text, and the widest a row grows (Excel's limit is 409).
LINE_HEIGHT = 13.5
MAX_ROW_HEIGHT = 300
CJK_WIDTH = 1.7


def lines_needed(value, width: float) -> int:
    """Lines ``value`` takes wrapped in a column ``width`` characters wide: a Chinese character at
    10 pt is about 1.7 of them (Excel draws it a little wider than LibreOffice), a digit or letter one."""
    per_line = max(1.0, width - 1)  # the cell's own margins
    return sum(max(1, math.ceil(sum(CJK_WIDTH if ord(ch) > 0x2E7F else 1 for ch in line) / per_line))
               for line in str(value or "").split("\n"))


def table_sheet(book, title: str, headers: Sequence[str], rows: Sequence[Sequence], *, widths: Sequence[float],
                wrap_columns: Sequence[int] = (), datetime_columns: Sequence[int] = (),
                frozen_columns: int = 0):
    """A new sheet ``title`` with a header row and ``rows``; columns are 1-based in ``wrap_columns``
    (text that wraps) and ``datetime_columns`` (date values, 2026年3月2日 11:30); the first
    ``frozen_columns`` stay in view when scrolling sideways."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet = book.create_sheet(title)
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    body, bold = Font(name=FONT_FAMILY, size=10), Font(name=FONT_FAMILY, size=10, bold=True)
    fill = PatternFill("solid", fgColor=HEADER_FILL)
    wrapped, dated = set(wrap_columns), set(datetime_columns)
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.font = body
            cell.alignment = Alignment(vertical="top", wrap_text=cell.column in wrapped,
                                       horizontal="left" if cell.column in dated else None)
            if cell.column in dated:
                cell.number_format = XLSX_DATETIME
        if wrapped:
            lines = max(lines_needed(cell.value, widths[cell.column - 1]) for cell in row if cell.column in wrapped)
            sheet.row_dimensions[row[0].row].height = min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines + 3)
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    last = get_column_letter(len(headers))
    sheet.freeze_panes = f"{get_column_letter(frozen_columns + 1)}2"
    sheet.auto_filter.ref = f"A1:{last}{max(sheet.max_row, 2)}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.oddFooter.center.text = "&P / &N"
    return sheet
