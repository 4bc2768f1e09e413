"""PDF from an HTML template (WeasyPrint), its text in Noto Sans CJK SC: WeasyPrint embeds the glyphs used."""

from __future__ import annotations

import logging

from django.template.loader import render_to_string

from .fonts import FONT_FAMILY, font_file

# WeasyPrint reports each layout step at INFO: noise in the worker's log for every document.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def render_pdf(template: str, context: dict, *, request=None) -> bytes:
    """The template rendered as PDF; the template sets ``font-family: "{{ font }}"``."""
    from weasyprint import HTML  # heavy (pango, cairo): loaded only when a document is made

    font_file()  # a missing font is said, not drawn as empty boxes
    return HTML(string=render_to_string(template, {**context, "font": FONT_FAMILY}, request=request)).write_pdf()
