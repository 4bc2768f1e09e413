"""Where the digits, spaces, dots and ASCII runs of a normalised text are, found with numpy.

A dense page holds tens of thousands of numbers, addresses and links; finding where they
are with a regex or a loop over Python characters costs more than checking them. Here each
character's classes are one table lookup, the characters with any class are listed once,
and the runs of a class are a few operations on that (short) list, so a rule's Python only
runs where there is something to look at.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy

#: Bit flags, one byte a character.
DIGIT = 1  # 0-9 and the Chinese digits phone and ID numbers are written in (一三八…, 幺, 壹贰叁)
SPACE_DASH = 2  # a space or a hyphen (inside a grouped number)
URL = 4  # a character a URL can hold (ASCII)
LOCAL = 8  # a character of an e-mail address's local part
DOMAIN = 16  # a character of a host name
DOT = 32
AT = 64
LETTER = 128  # a-z (the text is normalised: lower case)

CHINESE_DIGITS = "〇零一二三四五六七八九幺壹贰叁肆伍陆柒捌玖"
URL_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&*+,;=%"
LOCAL_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789._%+-"
DOMAIN_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789.-"
_EMPTY = numpy.zeros(0, dtype=numpy.int64)


@lru_cache(maxsize=1)
def table() -> numpy.ndarray:
    """The flags of every code point (1.1 MB, built once)."""
    flags = numpy.zeros(0x110000, dtype=numpy.uint8)
    for characters, flag in (("0123456789" + CHINESE_DIGITS, DIGIT), (" -", SPACE_DASH), (URL_CHARACTERS, URL),
                             (LOCAL_CHARACTERS, LOCAL), (DOMAIN_CHARACTERS, DOMAIN), (".", DOT), ("@", AT),
                             ("abcdefghijklmnopqrstuvwxyz", LETTER)):
        flags[[ord(c) for c in characters]] |= flag
    return flags


@dataclass(frozen=True)
class CharIndex:
    """The characters of a text that have a class: their positions and flags, in order."""

    positions: numpy.ndarray
    flags: numpy.ndarray

    @classmethod
    def of(cls, codes: numpy.ndarray) -> CharIndex:
        """The index of a text given as its code points (``Normalised.code_points()``)."""
        flags = table()[codes]
        positions = numpy.flatnonzero(flags)
        return cls(positions, flags[positions])

    def where(self, flag: int) -> numpy.ndarray:
        """Positions of the characters with any of ``flag``'s bits, in order."""
        return self.positions[self.flags & flag > 0]

    def runs(self, flag: int) -> tuple[numpy.ndarray, numpy.ndarray]:
        """``(starts, ends)`` of the runs of consecutive characters with any of ``flag``'s bits,
        each ``[start, end)``."""
        at = self.where(flag)
        if not len(at):
            return _EMPTY, _EMPTY
        breaks = numpy.flatnonzero(numpy.diff(at) != 1) + 1
        starts = at[numpy.concatenate(([0], breaks))]
        ends = at[numpy.concatenate((breaks - 1, [len(at) - 1]))] + 1
        return starts, ends
