"""What every Chinese document shares besides its font: its language, whatever the reader's admin
language or the worker's, and the spreadsheet formats of its dates.

    with chinese.language():                       # shown() / shown_day() write 2026年11月28日 05:31
        made_at = shown(clock.now(), account)
    cell.number_format = chinese.XLSX_DATETIME     # a real date value, read as 2026年11月28日 05:31

A document is a deliverable for the director, not a screen: it is Chinese even when made from
an English admin (``WXOPS_LANGUAGE=en``) or by the worker.
"""

from __future__ import annotations

from django.utils import translation

LANGUAGE = "zh-hans"

#: Excel/LibreOffice number formats: the cell keeps a real date (sortable, filterable).
XLSX_DATE = 'yyyy"年"m"月"d"日"'
XLSX_DATETIME = 'yyyy"年"m"月"d"日" hh:mm'


def language():
    """A context in which Django's formats and translations are the documents' (Chinese)."""
    return translation.override(LANGUAGE)
