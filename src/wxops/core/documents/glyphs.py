"""The glyphs a document uses, cut out of the CJK font as a small TrueType font (fontTools).

Noto Sans CJK is a 20 MB collection of PostScript-outline (CFF) faces; Word embeds only
TrueType fonts, one face a file. :func:`truetype_subset` keeps the characters asked for (a
report uses a few hundred), and redraws their outlines as TrueType quadratic curves
(fontTools' cu2qu, within 1 unit of 1000 per em).
"""

from __future__ import annotations

import io
import logging

from .fonts import FontFile

# fontTools reports every table it prunes at INFO: noise in the worker's log for every document.
logging.getLogger("fontTools").setLevel(logging.WARNING)

#: Kept in every subset, so a reader who edits the document can still type Latin text in the font.
ASCII = "".join(chr(code) for code in range(0x20, 0x7F))


def truetype_subset(font: FontFile, text: str) -> bytes:
    """The face ``font`` cut down to the characters of ``text`` (and ASCII), as TrueType (glyf) bytes."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    face = TTFont(font.path, fontNumber=font.index, lazy=True)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(set(text) | set(ASCII))))
    subsetter.subset(face)
    if "CFF " in face:
        _to_truetype_outlines(face)
    out = io.BytesIO()
    face.save(out)
    return out.getvalue()


def _to_truetype_outlines(face) -> None:
    """Replace the CFF table by glyf/loca with the same glyphs (as fontTools' otf2ttf does)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable
    from fontTools.ttLib.tables._m_a_x_p import table__m_a_x_p

    order = face.getGlyphOrder()
    drawn = face.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(drawn)
        drawn[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    face["loca"] = newTable("loca")
    glyf = face["glyf"] = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, glyphs
    for tag in ("CFF ", "VORG"):
        if tag in face:
            del face[tag]
    maxp = face["maxp"] = table__m_a_x_p()
    maxp.tableVersion, maxp.numGlyphs = 0x00010000, len(order)
    maxp.maxZones = 1
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements",
                  "maxSizeOfInstructions", "maxComponentElements", "maxPoints", "maxContours",
                  "maxCompositePoints", "maxCompositeContours", "maxComponentDepth"):
        setattr(maxp, field, 0)
    face["head"].glyphDataFormat = 0
    post = face["post"]
    post.formatType, post.extraNames, post.mapping = 2.0, [], {}
    post.glyphOrder = order
    face.sfntVersion = "\x00\x01\x00\x00"
