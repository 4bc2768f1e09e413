"""ID-number, bank-card and credit-code checks of many digit runs at once, with numpy.

A dense page holds thousands of bare numbers; :mod:`~wxops.compliance.rules.pii` checked
them one Python call each (the shape, the check digit, the date, Luhn, the credit-code
check character). Here the runs of one length are one matrix of digit values and every
check is a few array operations over it, computing what python-stdnum computes: the
resident-ID check digit of GB 11643 (the 17 digits read in base 13, as ``int(number, 13)``),
Luhn, and the check character of GB 32100. Only a county's existence in its birth year is
left to the caller (a cached look-up in stdnum's place database).
"""

from __future__ import annotations

from functools import lru_cache

import numpy

#: A digit's value; 10 for x (an ID's check character); OTHER for anything else.
X, OTHER = 10, 255
_ARABIC_AND_CHINESE = ("0123456789〇零一二三四五六七八九幺壹贰叁肆伍陆柒捌玖", "0123456789001234567891123456789")
#: 13^(16-i) mod 11: the weight of digit i when the first 17 digits are read in base 13.
_ID_WEIGHTS = numpy.array([pow(13, 16 - i, 11) for i in range(17)], dtype=numpy.int64)
#: GB 32100's weights; in its alphabet (0-9A-HJ-NP-RTUWXY) a digit is its value and X is 29.
_USCC_WEIGHTS = numpy.array((1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28), dtype=numpy.int64)
_USCC_X = 29
_DOUBLED = numpy.array([0, 2, 4, 6, 8, 1, 3, 5, 7, 9], dtype=numpy.int64)
_DAYS = numpy.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=numpy.int64)


@lru_cache(maxsize=1)
def _values() -> numpy.ndarray:
    table = numpy.full(0x110000, OTHER, dtype=numpy.uint8)
    for char, digit in zip(*_ARABIC_AND_CHINESE, strict=True):
        table[ord(char)] = int(digit)
    table[ord("x")] = X
    return table


def digit_matrix(codes: numpy.ndarray, starts: numpy.ndarray, length: int) -> numpy.ndarray:
    """The values (``int64``, rows × ``length``) of the runs of ``length`` code points from ``starts``."""
    return _values()[codes[starts[:, None] + numpy.arange(length)]].astype(numpy.int64)


def _number(values: numpy.ndarray, low: int, high: int) -> numpy.ndarray:
    """The decimal number written by the columns ``[low, high)``."""
    number = numpy.zeros(len(values), dtype=numpy.int64)
    for column in range(low, high):
        number = number * 10 + values[:, column]
    return number


def id_numbers(values: numpy.ndarray) -> numpy.ndarray:
    """For 18-character rows: the shape of :data:`~wxops.compliance.rules.pii.ID_NUMBER` (1–9 first,
    digits, a year of 18xx–20xx, a month, a day of 01–31, a digit or x last), the check character
    and a real date — all of ``pii.is_id_number`` but the place."""
    digits = values[:, :17]
    shaped = (values[:, 0] >= 1) & (digits < 10).all(axis=1) & (values[:, 17] <= X)
    century, year = _number(values, 6, 8), _number(values, 6, 10)
    month, day = _number(values, 10, 12), _number(values, 12, 14)
    shaped &= (century >= 18) & (century <= 20) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= 31)
    check = (1 - 2 * (digits @ _ID_WEIGHTS)) % 11
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    days = _DAYS[numpy.where(shaped, month, 0)] + (leap & (month == 2))
    return shaped & (values[:, 17] == check) & (day <= days)


def credit_codes(values: numpy.ndarray) -> numpy.ndarray:
    """For 18-character rows of digits (and x): valid unified social credit codes (as ``pii.is_credit_code``)."""
    if values.shape[1] != 18:
        return numpy.zeros(len(values), dtype=bool)
    coded = numpy.where(values == X, _USCC_X, values)
    valid = (values[:, :8] < 10).all(axis=1) & (values <= X).all(axis=1)
    return valid & (coded[:, 17] == (31 - coded[:, :17] @ _USCC_WEIGHTS) % 31)


def luhn(values: numpy.ndarray) -> numpy.ndarray:
    """Rows of digits only that pass the Luhn check (as ``pii.luhn_valid``)."""
    digits = (values < 10).all(axis=1)
    safe = numpy.where(values < 10, values, 0)
    from_right = safe[:, ::-1]
    total = from_right[:, 0::2].sum(axis=1) + _DOUBLED[from_right[:, 1::2]].sum(axis=1)
    return digits & (total % 10 == 0)
