"""DOCX documents in Chinese (python-docx): every style in Noto Sans CJK SC, the font embedded on saving.

Word picks the font of Chinese text from ``w:eastAsia``, not from the font's name, and a
theme font (``w:eastAsiaTheme``) wins over a named one: each style gets the four named fonts
and no theme font, so headings, tables and body text are drawn alike in Word and LibreOffice.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from .embedding import embed_fonts
from .fonts import FONT_FAMILY, font_file

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
THEME_ATTRIBUTES = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
NAMED_ATTRIBUTES = ("ascii", "hAnsi", "eastAsia", "cs")


def new_document(*, size_pt: float = 10.5):
    """An empty document whose styles all use the CJK font; body text at ``size_pt`` (五号 by default)."""
    from docx import Document
    from docx.shared import Cm, Pt

    font_file()  # a missing font is said before anything is written
    document = Document()
    styles = document.styles.element
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    for fonts in styles.iter(f"{W}rFonts"):
        _name_fonts(fonts)
    normal = document.styles["Normal"]
    normal.font.size = Pt(size_pt)
    _name_fonts(normal.element.get_or_add_rPr().get_or_add_rFonts())
    section = document.sections[0]  # A4, as printed in China (python-docx starts from US Letter)
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)  # 16.6 cm of text: the charts' 16 cm fit
    section.top_margin = section.bottom_margin = Cm(2.5)
    language = default.find(f"{W}lang") if default is not None else None
    if language is not None:
        language.set(f"{W}eastAsia", "zh-CN")
    return document


def _name_fonts(fonts) -> None:
    for name in THEME_ATTRIBUTES:
        fonts.attrib.pop(f"{W}{name}", None)
    for name in NAMED_ATTRIBUTES:
        fonts.set(f"{W}{name}", FONT_FAMILY)


def table(document, headers: Sequence[str] | None, rows: Sequence[Sequence], *, style: str = "Table Grid",
          size_pt: float | None = None, widths_cm: Sequence[float] | None = None):
    """A table with an optional header row (bold, repeated on every page); ``None`` is shown as "—";
    cells at ``size_pt`` (the header too: a larger header broke 序号 over two lines of a narrow
    column) and columns ``widths_cm`` wide when given (else all alike)."""
    from docx.oxml import OxmlElement
    from docx.shared import Cm, Pt

    columns = len(headers) if headers else len(rows[0]) if rows else 1
    grid = document.add_table(rows=0, cols=columns)
    grid.style = style
    if headers:
        header_row = grid.add_row()
        header_row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for cell, header in zip(header_row.cells, headers, strict=True):
            cell.text = header
            for run in cell.paragraphs[0].runs:
                run.font.bold = True
                if size_pt is not None:
                    run.font.size = Pt(size_pt)
    for row in rows:
        for cell, value in zip(grid.add_row().cells, row, strict=True):
            cell.text = "—" if value is None else str(value)
            if size_pt is not None:
                for run in cell.paragraphs[0].runs:
                    run.font.size = Pt(size_pt)
    if widths_cm:  # Word reads each cell's width, LibreOffice the grid's: both are set
        grid.autofit = False
        for column, width in zip(grid.columns, widths_cm, strict=True):
            column.width = Cm(width)
            for cell in column.cells:
                cell.width = Cm(width)
    return grid


def picture(document, png: bytes, *, width_cm: float = 16) -> None:
    from docx.shared import Cm

    document.add_picture(io.BytesIO(png), width=Cm(width_cm))


def docx_bytes(document, *, embed: bool = True) -> bytes:
    """The document as DOCX, with the glyphs of the CJK font it uses embedded (see :mod:`.embedding`)."""
    buffer = io.BytesIO()
    document.save(buffer)
    return embed_fonts(buffer.getvalue()) if embed else buffer.getvalue()
