"""Reading a staff list (CSV or XLSX) into rows for :func:`wxops.promotion.actions.staff.import_staff`.

The first row names the columns, in Chinese or English (any order, other columns ignored):

=============  ============================================  ========
column         names accepted                                required
=============  ============================================  ========
branch code    分公司编码, 分公司代码, branch code, branch      yes
branch name    分公司名称, 分公司, branch name                  for a new branch
staff number   工号, 员工编号, staff number                     yes
name           姓名, name                                     yes
status         状态, 在职状态, status (在职/离职, active/left)   no
=============  ============================================  ========

CSV may be UTF-8 (with or without BOM) or GBK, as Excel in China saves it. Row numbers in
messages are the spreadsheet's (the header is row 1).
"""

from __future__ import annotations

import csv
import io
import zipfile

from django.utils.translation import gettext as _

from .actions.staff import RowError, StaffRow

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000

COLUMNS = {
    "branch_code": ("分公司编码", "分公司代码", "branch code", "branch_code", "branch"),
    "branch_name": ("分公司名称", "分公司", "branch name", "branch_name"),
    "staff_number": ("工号", "员工编号", "staff number", "staff_number", "employee number"),
    "name": ("姓名", "name"),
    "status": ("状态", "在职状态", "status"),
}
ACTIVE = {"在职", "active", "yes", "y", "1", "是", "true"}
LEFT = {"离职", "left", "inactive", "no", "n", "0", "否", "false"}


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message says what to fix."""


def read_staff_file(filename: str, data: bytes) -> tuple[list[StaffRow], list[RowError]]:
    """The rows of an uploaded file, and the rows that could not be read."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 5 MB; split it."))
    if filename.lower().endswith(".xlsx"):
        table = _xlsx(data)
    elif filename.lower().endswith((".csv", ".txt")):
        table = list(csv.reader(io.StringIO(_decode(data))))
    else:
        raise ImportFileError(_("Upload a .csv or .xlsx file."))
    table = [row for row in table if any(cell.strip() for cell in row)]
    if not table:
        raise ImportFileError(_("The file is empty."))
    if len(table) > MAX_ROWS + 1:
        raise ImportFileError(_("The file has more than %(rows)s rows; split it.") % {"rows": MAX_ROWS})
    positions = _header(table[0])
    rows, errors = [], []
    for number, cells in enumerate(table[1:], start=2):
        value = {name: (cells[i].strip() if i is not None and i < len(cells) else "") for name, i in positions.items()}
        status = value["status"].lower()
        if status and status not in ACTIVE | LEFT:
            errors.append(RowError(number, _("Status %(status)s is neither 在职 (active) nor 离职 (left).")
                                   % {"status": value["status"]}))
            continue
        rows.append(StaffRow(number=number, branch_code=value["branch_code"], branch_name=value["branch_name"],
                             staff_number=value["staff_number"], name=value["name"],
                             active=None if not status else status in ACTIVE))
    return rows, errors


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The file is neither UTF-8 nor GBK text; save it as CSV UTF-8 or as .xlsx."))


def _xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ImportFileError(_("The .xlsx file cannot be opened (%(error)s); save it again from Excel.")
                              % {"error": type(error).__name__}) from None
    try:
        sheet = book.worksheets[0]
        return [["" if cell is None else _text(cell) for cell in row]
                for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)]
    finally:
        book.close()


def _text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # a staff number typed as 1024 comes back as 1024.0
    return str(cell)


def _header(cells: list[str]) -> dict[str, int | None]:
    names = [cell.strip().lower() for cell in cells]
    positions: dict[str, int | None] = {}
    for column, aliases in COLUMNS.items():
        found = [i for i, name in enumerate(names) if name in aliases]
        positions[column] = found[0] if found else None
    missing = [COLUMNS[c][0] for c in ("branch_code", "staff_number", "name") if positions[c] is None]
    if missing:
        raise ImportFileError(_("The first row must name the columns; missing: %(columns)s.")
                              % {"columns": "、".join(missing)})
    return positions
