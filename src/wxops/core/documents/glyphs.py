"""The glyphs a document uses, cut out of the CJK font as a small TrueType font (fontTools).

Noto Sans CJK is a 20 MB collection of PostScript-outline (CFF) faces; Word embeds only
TrueType fonts, one face a file. :func:`truetype_subset` keeps the characters asked for (a
report uses a few hundred), and redraws their outlines as TrueType quadratic curves
(fontTools' cu2qu, within 1 unit of 1000 per em).

Cutting the CFF face and redrawing its outlines costs seconds a face for a report's few
hundred characters, and the documents a process makes (reports, the director's documents)
share most of their characters. So each process keeps, per face, a TrueType cut of every
character its documents have asked for so far (up to :data:`KEPT_CHARACTERS`): a document
whose characters it holds is cut from that small TrueType font (no CFF, no redrawing); one
with new characters redraws the kept set with them once, and later documents reuse it.
The result is the same subset either way: only the document's characters (and ASCII).
"""

from __future__ import annotations

import io
import logging
import threading
from dataclasses import dataclass

from .fonts import FontFile

# fontTools reports every table it prunes at INFO: noise in the worker's log for every document.
logging.getLogger("fontTools").setLevel(logging.WARNING)

#: Kept in every subset, so a reader who edits the document can still type Latin text in the font.
ASCII = "".join(chr(code) for code in range(0x20, 0x7F))
#: The most characters a process keeps redrawn per face (≈ 2 MB of TrueType): past it, the kept set starts again.
KEPT_CHARACTERS = 4000


@dataclass(frozen=True)
class _Kept:
    characters: frozenset[str]
    truetype: bytes  # the face cut to ``characters``, TrueType outlines


_kept: dict[FontFile, _Kept] = {}
#: Outlines already redrawn as TrueType, by face and glyph name: growing the kept cut redraws only the new ones.
_redrawn: dict[FontFile, dict[str, object]] = {}
_lock = threading.Lock()


def truetype_subset(font: FontFile, text: str) -> bytes:
    """The face ``font`` cut down to the characters of ``text`` (and ASCII), as TrueType (glyf) bytes."""
    wanted = frozenset(text) | frozenset(ASCII)
    with _lock:  # one redraw at a time: two documents at once would both redraw the face
        kept = _kept.get(font)
        if kept is None or not wanted <= kept.characters:
            characters = wanted if kept is None or len(kept.characters | wanted) > KEPT_CHARACTERS \
                else kept.characters | wanted
            if characters == wanted:
                _redrawn.pop(font, None)  # starting again: so does the memory of redrawn outlines
            kept = _kept[font] = _Kept(characters, _cut(font.path, font.index, characters,
                                                        _redrawn.setdefault(font, {})))
    if kept.characters == wanted:
        return kept.truetype
    return _cut(io.BytesIO(kept.truetype), 0, wanted)


def forget() -> None:
    """Drop the kept cuts (a test that wants the first document's path again)."""
    with _lock:
        _kept.clear()
        _redrawn.clear()


def _cut(source, index: int, characters: frozenset[str], redrawn: dict | None = None) -> bytes:
    """``source`` (a path or TrueType bytes) cut down to ``characters``, with TrueType outlines
    (CFF ones redrawn, or taken from ``redrawn``, which keeps what is redrawn here)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    face = TTFont(source, fontNumber=index, lazy=True)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(characters)))
    subsetter.subset(face)
    if "CFF " in face:
        _to_truetype_outlines(face, {} if redrawn is None else redrawn)
    out = io.BytesIO()
    face.save(out)
    return out.getvalue()


def _to_truetype_outlines(face, redrawn: dict) -> None:
    """Replace the CFF table by glyf/loca with the same glyphs (as fontTools' otf2ttf does); a
    glyph named in ``redrawn`` (the face's original names, kept by the cut) is not redrawn again."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable
    from fontTools.ttLib.tables._m_a_x_p import table__m_a_x_p

    order = face.getGlyphOrder()
    drawn = face.getGlyphSet()
    glyphs = {}
    for name in order:
        if name not in redrawn:
            pen = TTGlyphPen(drawn)
            drawn[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
            redrawn[name] = pen.glyph()
        glyphs[name] = redrawn[name]
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
