"""The normalised view of a text that rules match on, with a map back to the original.

Evasions this undoes (each keeps a one-to-one or deleting map, so every span found in the
normalised text is reported at its exact place in the original):

- traditional → simplified Chinese (opencc ``t2s``): 賭博 → 赌博;
- full-width letters and digits → ASCII, upper → lower case: ＶＸ, Ｖx → vx;
- compatibility forms and common homoglyphs: Kangxi radicals, enclosed letters (ⓥ, ㊙),
  mathematical letters, Cyrillic/Greek look-alikes (а, о, ν) → their plain letters;
- zero-width characters, anywhere;
- up to three spaces or symbols interleaved between characters when one side is Chinese:
  赌*博, 赌 博, 赌.博, 加 V. Newlines and Chinese sentence punctuation (。，！？) are kept:
  they are real boundaries, and dropping them would join words across sentences.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

import opencc

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
ZERO_WIDTH = "\u00ad\u034f\u180e\u200b-\u200f\u2060-\u2064\ufeff"
# Symbols people put between characters to dodge a filter; not Chinese sentence punctuation.
SEPARATORS = (
    " \t\u3000" + ZERO_WIDTH + r"*._\-|/\\~+=#@^`'\"$%&"
    "·•・\uff0a\uff0e\uff3f\uff0d\uff5c\uff0f\uff3c\uff5e\uff0b\uff1d\uff03\uff20\uff3e"
    "\u2010-\u2027\u2030-\u205e\u2190-\u23ff\u2500-\u27bf\U0001f000-\U0001faff"
)
WORD = CJK + "a-zA-Z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"

_DELETE = re.compile(
    f"(?<=[{CJK}])[{SEPARATORS}]{{1,3}}(?=[{WORD}])"
    f"|(?<=[{WORD}])[{SEPARATORS}]{{1,3}}(?=[{CJK}])"
    f"|[{ZERO_WIDTH}]+"
)

#: Look-alikes NFKC does not fold: Cyrillic and Greek letters that pass for Latin ones.
HOMOGLYPHS = {
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԛ": "q", "ԝ": "w",
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x",
}
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
    return table


_FOLD = _fold_table()
_NEEDS_FOLD = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_FOLD)) + "]+")


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

    def to_original(self, position: int) -> int:
        index = bisect_right(self.deleted_at, position)
        return position if index == 0 else position + self.deleted_total[index - 1]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original ``[start, end)`` of the normalised ``[start, end)``."""
        if end <= start:
            origin = self.to_original(start)
            return origin, origin
        return self.to_original(start), self.to_original(end - 1) + 1


def normalise(text: str) -> Normalised:
    """Normalise ``text`` for matching; see the module docstring for what is undone."""
    folded = to_simplified(text)
    folded = _NEEDS_FOLD.sub(lambda m: m.group().translate(_FOLD), folded)
    pieces: list[str] = []
    deleted_at: list[int] = []
    deleted_total: list[int] = []
    kept_until = 0
    removed = 0
    for match in _DELETE.finditer(folded):
        pieces.append(folded[kept_until:match.start()])
        deleted_at.append(match.start() - removed)
        removed += match.end() - match.start()
        deleted_total.append(removed)
        kept_until = match.end()
    if not deleted_at:
        return Normalised(original=text, text=folded)
    pieces.append(folded[kept_until:])
    return Normalised(original=text, text="".join(pieces), deleted_at=tuple(deleted_at),
                      deleted_total=tuple(deleted_total))
