"""The normalised view of a text that rules match on, with a map back to the original.

Evasions this undoes (each keeps a one-to-one or deleting map, so every span found in the
normalised text is reported at its exact place in the original):

- traditional → simplified Chinese (opencc ``t2s``): 賭博 → 赌博;
- full-width letters and digits → ASCII, upper → lower case: ＶＸ, Ｖx → vx;
- compatibility forms and common homoglyphs: Kangxi radicals, enclosed letters (ⓥ, ㊙),
  mathematical letters, Cyrillic/Greek look-alikes (а, о, ν) → their plain letters;
- zero-width characters, anywhere; no-break, en, em and thin spaces count as spaces;
- up to three spaces or symbols interleaved between characters when one side is Chinese:
  赌*博, 赌 博, 赌.博, 加 V. Newlines and Chinese sentence punctuation (。，！？) are kept:
  they are real boundaries, and dropping them would join words across sentences.

The work is done on a numpy array of code points (one table lookup per character for
folding and for classifying separators), so normalising runs at tens of MB/s; opencc only
runs when the text holds a character that ``t2s`` changes.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy
import opencc

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
ZERO_WIDTH = "\u00ad\u034f\u180e\u200b-\u200f\u2060-\u2064\ufeff"
# Symbols people put between characters to dodge a filter; not Chinese sentence punctuation.
SEPARATORS = (
    " \t\u3000" + ZERO_WIDTH + r"*._\-|/\\~+=#@^`'\"&"
    "·•・\uff0a\uff0e\uff3f\uff0d\uff5c\uff0f\uff3c\uff5e\uff0b\uff1d\uff03\uff20\uff3e"
    "\u2010-\u2027\u2030-\u205e\u2190-\u23ff\u2500-\u27bf\U0001f000-\U0001faff"
)
WORD = CJK + "a-zA-Z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"

#: Look-alikes NFKC does not fold: Cyrillic and Greek letters that pass for Latin ones.
HOMOGLYPHS = {
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԛ": "q", "ԝ": "w",
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x",
}
#: Spaces pasted HTML and word processors leave between characters (no-break, en, em, thin,
#: narrow no-break …): folded to a plain space, so they separate like one.
WIDE_SPACES = (0x00A0, *range(0x2000, 0x200B), 0x202F, 0x205F)
# Ranges whose NFKC form is a single plain character worth folding.
_NFKC_RANGES = (
    (0x2160, 0x217F),  # Roman numerals
    (0x2460, 0x24FF),  # enclosed alphanumerics ①ⓥ
    (0x2F00, 0x2FDF),  # Kangxi radicals ⾔ → 言
    (0x3200, 0x32FF),  # enclosed CJK ㊙ → 秘
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    # Full-width digits and letters only: full-width punctuation (，：！) is real Chinese
    # punctuation and must stay a boundary.
    (0xFF10, 0xFF19),
    (0xFF21, 0xFF3A),
    (0xFF41, 0xFF5A),
    (0x1D400, 0x1D7FF),  # mathematical alphanumerics 𝐚
)


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {ord(c): c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
    for low, high in _NFKC_RANGES:
        for code in range(low, high + 1):
            folded = unicodedata.normalize("NFKC", chr(code)).lower()
            if len(folded) == 1 and folded != chr(code):
                table[code] = folded
    for char, plain in HOMOGLYPHS.items():
        table[ord(char)] = plain
        table[ord(char.upper())] = plain
    for code in WIDE_SPACES:
        table[code] = " "
    return table


_FOLD = _fold_table()
@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified, keeping the length (so offsets survive).

    opencc converts phrase by phrase; the rare phrase whose conversion changes length is
    redone character by character, and a character that would still change length is kept.
    """
    converter = _t2s()
    converted = converter.convert(text)
    if len(converted) == len(text):
        return converted
    lines = []
    for line in text.split("\n"):
        done = converter.convert(line)
        if len(done) != len(line):
            done = "".join(c2 if len(c2 := converter.convert(c)) == 1 else c for c in line)
        lines.append(done)
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class Normalised:
    """The normalised text plus what maps its positions back to the original's."""

    original: str
    text: str
    # Normalised position where a deleted run was, and how many characters were deleted
    # up to and including that run.
    deleted_at: tuple[int, ...] = field(default=())
    deleted_total: tuple[int, ...] = field(default=())
    #: The code points of ``text`` (numpy uint32), for rules that classify every character at once.
    codes: numpy.ndarray | None = field(default=None, compare=False, repr=False)

    def code_points(self) -> numpy.ndarray:
        return _code_points(self.text) if self.codes is None else self.codes

    def to_original(self, position: int) -> int:
        index = bisect_right(self.deleted_at, position)
        return position if index == 0 else position + self.deleted_total[index - 1]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original ``[start, end)`` of the normalised ``[start, end)``."""
        deleted_at = self.deleted_at
        if not deleted_at:
            return start, end
        index = bisect_right(deleted_at, start)
        o_start = start if index == 0 else start + self.deleted_total[index - 1]
        if end <= start:
            return o_start, o_start
        # Mostly no deleted run lies inside the span: the end shifts as the start does.
        if index == len(deleted_at) or deleted_at[index] > end - 1:
            return o_start, end + o_start - start
        return o_start, self.to_original(end - 1) + 1

    def spans(self, starts: Sequence[int], ends: Sequence[int]) -> tuple[list[int], list[int]]:
        """:meth:`span` of many spans at once: one sorted search over the table of deleted runs,
        not a bisection each (a dense page has tens of thousands of findings)."""
        if not self.deleted_at or not len(starts):
            return list(starts), list(ends)
        at = numpy.array(self.deleted_at)
        totals = numpy.concatenate(([0], self.deleted_total))
        starts, ends = numpy.asarray(starts, dtype=numpy.int64), numpy.asarray(ends, dtype=numpy.int64)
        o_starts = starts + totals[numpy.searchsorted(at, starts, side="right")]
        o_ends = ends + totals[numpy.searchsorted(at, ends - 1, side="right")]
        o_ends = numpy.where(ends > starts, o_ends, o_starts)
        return o_starts.tolist(), o_ends.tolist()


# Character classes, as bit flags, for every code point.
_CJK, _WORD, _SEP, _ZW = 1, 2, 4, 8


def _bmp_tables():
    fold = numpy.arange(0x10000, dtype=numpy.uint32)
    fold[0xD800:0xE000] = 0xFFFD  # a lone surrogate (from broken input) cannot be matched or encoded
    for code, plain in _FOLD.items():
        if code < 0x10000:
            fold[code] = ord(plain)
    classes = numpy.zeros(0x10000, dtype=numpy.uint8)
    for pattern, flag in ((f"[{CJK}]", _CJK | _WORD), (f"[{WORD}]", _WORD), (f"[{SEPARATORS}]", _SEP),
                          (f"[{ZERO_WIDTH}]", _SEP | _ZW)):
        matcher = re.compile(pattern)
        codes = [c for c in range(0x10000) if not 0xD800 <= c < 0xE000 and matcher.match(chr(c))]
        classes[codes] |= flag
    converter = _t2s()
    candidates = [chr(c) for c in range(0x80, 0x10000) if not 0xD800 <= c < 0xE000]
    converted = converter.convert("\n".join(candidates)).split("\n")
    changes = numpy.zeros(0x10000, dtype=bool)
    if len(converted) == len(candidates):
        changes[[ord(a) for a, b in zip(candidates, converted, strict=True) if a != b]] = True
    else:  # cannot tell which characters t2s changes: always run it
        changes[:] = True
    return fold, classes, changes


@lru_cache(maxsize=1)
def _tables():
    """For every code point, in one 32-bit word (4.4 MB, so a text costs one lookup a character):
    what it folds to (bits 0–20), the classes of that (bits 21–24) and whether t2s changes the
    code point itself (bit 25). No special case for characters beyond the BMP (mathematical
    letters fold, emoji separate)."""
    bmp_fold, bmp_classes, bmp_changes = _bmp_tables()
    fold = numpy.arange(0x110000, dtype=numpy.uint32)
    fold[:0x10000] = bmp_fold
    for code, plain in _FOLD.items():
        if code >= 0x10000:
            fold[code] = ord(plain)
    classes = numpy.zeros(0x110000, dtype=numpy.uint8)
    classes[:0x10000] = bmp_classes
    classes[0x1F000:0x1FB00] = _SEP
    changes = numpy.zeros(0x110000, dtype=bool)
    changes[:0x10000] = bmp_changes
    return fold | (classes[fold].astype(numpy.uint32) << _CLASS_SHIFT) | (changes.astype(numpy.uint32) << _CHANGE_SHIFT)


_CLASS_SHIFT, _CHANGE_SHIFT, _CODE = 21, 25, 0x1FFFFF


def _code_points(text: str) -> numpy.ndarray:
    return numpy.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=numpy.uint32)


def _text_of(codes: numpy.ndarray) -> str:
    return codes.astype(numpy.uint32, copy=False).tobytes().decode("utf-32-le", "surrogatepass")


def _unchanged_or_folded(text: str, simplified: str, codes: numpy.ndarray, folded: numpy.ndarray) -> Normalised:
    """The normalised view of a text from which nothing is deleted."""
    unchanged = simplified is text and numpy.array_equal(folded, codes)
    return Normalised(original=text, text=text if unchanged else _text_of(folded), codes=folded)


def normalise(text: str) -> Normalised:
    """Normalise ``text`` for matching; see the module docstring for what is undone."""
    if not text:
        return Normalised(original=text, text=text, codes=numpy.zeros(0, dtype=numpy.uint32))
    table = _tables()
    codes = _code_points(text)
    looked_up = table[codes]
    simplified = text
    if looked_up.max() >> _CHANGE_SHIFT:  # a reduction, no array the size of the text
        surrogates = (codes >= 0xD800) & (codes < 0xE000)
        # opencc (like the automaton) takes UTF-8: lone surrogates become U+FFFD, one for one.
        simplified = to_simplified(_text_of(numpy.where(surrogates, 0xFFFD, codes)) if surrogates.any() else text)
        codes = _code_points(simplified)
        looked_up = table[codes]
    # The classes are only read where there are separators, and beside them.
    separators = numpy.flatnonzero(looked_up & (_SEP << _CLASS_SHIFT))
    if not len(separators):
        return _unchanged_or_folded(text, simplified, codes, looked_up & _CODE)
    # Runs of consecutive separators; a run of at most 3 between two word characters, one
    # of them Chinese, goes; elsewhere only the zero-width characters go.
    new_run = numpy.empty(len(separators), dtype=bool)
    new_run[0] = True
    new_run[1:] = numpy.diff(separators) != 1
    starts = separators[new_run]
    lengths = numpy.diff(numpy.append(numpy.flatnonzero(new_run), len(separators)))
    ends = starts + lengths
    size = len(looked_up)

    def kind(at: numpy.ndarray) -> numpy.ndarray:
        return (looked_up[at] >> _CLASS_SHIFT) & 0xF

    before = numpy.where(starts > 0, kind(numpy.maximum(starts - 1, 0)), 0)
    after = numpy.where(ends < size, kind(numpy.minimum(ends, size - 1)), 0)
    joins = (lengths <= 3) & (before & _WORD > 0) & (after & _WORD > 0) & ((before | after) & _CJK > 0)
    dropped = numpy.repeat(joins, lengths) | (kind(separators) & _ZW > 0)
    deleted = separators[dropped]
    folded = numpy.bitwise_and(looked_up, _CODE, out=looked_up)  # the classes are read: no second array
    if not len(deleted):
        return _unchanged_or_folded(text, simplified, codes, folded)
    keep = numpy.ones(size, dtype=bool)
    keep[deleted] = False
    segment_start = numpy.empty(len(deleted), dtype=bool)
    segment_start[0] = True
    segment_start[1:] = numpy.diff(deleted) != 1
    segment_lengths = numpy.diff(numpy.append(numpy.flatnonzero(segment_start), len(deleted)))
    totals = numpy.cumsum(segment_lengths)
    deleted_at = deleted[segment_start] - (totals - segment_lengths)
    kept = folded[keep]
    return Normalised(original=text, text=_text_of(kept), deleted_at=tuple(deleted_at.tolist()),
                      deleted_total=tuple(totals.tolist()), codes=kept)
