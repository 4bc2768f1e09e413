"""Other people's personal information (2.3): PRC ID numbers, mobile numbers, bank cards, emails.

Numbers are validated, not just shaped: an ID number must carry a valid birth date and
check digit (python-stdnum), a bank card must pass Luhn. Unified social credit codes
(统一社会信用代码) identify companies, are public, and are never reported. Every finding
suggests a masked form, e.g. 110105********1234.
"""

from __future__ import annotations

import re
from functools import lru_cache

from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

from wxops.compliance.findings import Severity
from wxops.compliance.rules.base import Rule, Subject

#: 18 characters, or grouped by spaces or dashes as people write them (110105 19900307 123X).
ID_NUMBER = re.compile(r"(?<![0-9a-z])[1-9]\d{5}[ -]?(?:18|19|20)\d{2}[ -]?(?:0[1-9]|1[0-2])[ -]?"
                       r"(?:0[1-9]|[12]\d|3[01])[ -]?\d{3}[ -]?[\dx](?![0-9a-z])")
MOBILE = re.compile(r"(?<![0-9a-z])(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?![0-9a-z])")
BANK_CARD = re.compile(r"(?<![0-9a-z])[1-9]\d{3}(?:[ -]?\d{4}){2,3}(?:[ -]?\d{1,3})?(?![0-9a-z])")
EMAIL = re.compile(r"(?<![a-z0-9._%+-])[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}", re.ASCII)


_NOT_DIGITS = str.maketrans("", "", " -+")
CHINESE_DIGITS = str.maketrans("〇零一二三四五六七八九幺壹贰叁肆伍陆柒捌玖", "001234567891123456789")


def digits_of(text: str) -> str:
    """The digits (and a final X) of a number run, without its spaces, dashes and +."""
    return text.translate(_NOT_DIGITS)


def mask_middle(value: str, keep_start: int, keep_end: int) -> str:
    """``110105199001011234`` → ``110105********1234``."""
    hidden = max(len(value) - keep_start - keep_end, 0)
    return value[:keep_start] + "*" * hidden + value[len(value) - keep_end:]


def mask_email(address: str) -> str:
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"


def is_id_number(candidate: str) -> bool:
    """A PRC resident ID: check digit, birth date, and a county that existed in the birth year.

    python-stdnum's own ``is_valid`` parses its place database on every call (~0.6 ms);
    the cheap checks run first and the place is looked up once per county and year.
    """
    number = candidate.upper()
    if len(number) != 18 or not number[:17].isdigit() or number[17] != ric.calc_check_digit(number):
        return False
    try:
        ric.get_birth_date(number)
    except ValidationError:
        return False
    return _known_place(number[:6], number[6:10])


@lru_cache(maxsize=8192)
def _known_place(county: str, year: str) -> bool:
    try:
        ric.get_birth_place(f"{county}{year}0101000")
    except ValidationError:
        return False
    return True


_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def luhn_valid(number: str) -> bool:
    """The Luhn check of a string of digits (python-stdnum's, without its per-call validation)."""
    total = sum(map(int, number[-1::-2])) + sum(_DOUBLED[int(c)] for c in number[-2::-2])
    return total % 10 == 0


def is_bank_card(number: str) -> bool:
    return 16 <= len(number) <= 19 and number.isdigit() and luhn_valid(number) and not (
        len(number) == 18 and uscc.is_valid(number))


class PersonalInformationRule(Rule):
    name = "pii"
    clause = "2.3"

    def find(self, subject: Subject):
        for piece, run_start, run_end, digits in _number_runs(subject.text):
            # Characters of this run already reported (an ID is not also a card or a phone):
            # one flag a character, so each check costs the match's length, never the number
            # of earlier matches (a page of 10,000 phone numbers stays linear).
            taken = bytearray(run_end - run_start) if digits >= 16 else None
            if digits >= 17:
                for match in ID_NUMBER.finditer(piece, run_start, run_end):
                    value = digits_of(match.group()).upper() if len(match.group()) > 18 else match.group().upper()
                    if is_id_number(value) and not uscc.is_valid(value):
                        taken[match.start() - run_start:match.end() - run_start] = b"\x01" * len(match.group())
                        yield self.finding(subject, *_at(match, piece), severity=Severity.BLOCK, rule="pii.id_number",
                                           message="他人身份证号码（附件一 2.3 个人信息）",
                                           suggestion=mask_middle(value, 6, 4))
            if digits >= 16:
                for match in BANK_CARD.finditer(piece, run_start, run_end):
                    start, end = match.start() - run_start, match.end() - run_start
                    number = digits_of(match.group())
                    if taken.find(1, start, end) == -1 and is_bank_card(number):
                        taken[start:end] = b"\x01" * (end - start)
                        yield self.finding(subject, *_at(match, piece), severity=Severity.BLOCK, rule="pii.bank_card",
                                           message="银行卡号（附件一 2.3 个人信息，已通过 Luhn 校验）",
                                           suggestion=mask_middle(number, 6, 4))
            for match in MOBILE.finditer(piece, run_start, run_end):
                if taken is None or taken.find(1, match.start() - run_start, match.end() - run_start) == -1:
                    number = digits_of(match.group())[-11:]
                    yield self.finding(subject, *_at(match, piece), severity=Severity.REVIEW, rule="pii.mobile",
                                       message="手机号码（附件一 2.3 个人信息）", suggestion=mask_middle(number, 3, 4))
        if "@" in subject.text:
            for match in EMAIL.finditer(subject.text):
                yield self.finding(subject, *match.span(), severity=Severity.REVIEW, rule="pii.email",
                                   message="电子邮箱地址（附件一 2.3 个人信息）", suggestion=mask_email(match.group()))


_DIGIT = "0-9〇零一二三四五六七八九幺壹贰叁肆伍陆柒捌玖"
#: Digits (Arabic or Chinese), possibly grouped by spaces or hyphens, with an optional +86
#: and a final X: the only places an ID, card or mobile number can be, found in one pass.
_NUMBER_RUN = re.compile(rf"[{_DIGIT}][{_DIGIT} -]{{9,}}[{_DIGIT}x]")  # a leading + is taken below
# (a pattern that starts with its character set lets the regex engine skip ahead: 3× faster)


class _Piece(str):
    """A run of the text with one character of context each side, and where it starts."""

    offset: int


def _number_runs(text: str):
    """``(piece, start, end, digits)`` for each run with at least 11 digits, ``start``/``end``
    into ``piece``: the run with one character each side (so the patterns' look-arounds see
    what surrounds it: 91110000600037341L is a credit code, not a card), Chinese digits read
    as digits (一三八…, 幺 for 1 as phone numbers are spoken), one character for one."""
    for match in _NUMBER_RUN.finditer(text):
        run = match.group()
        digits = len(run) - run.count(" ") - run.count("-") - run.count("x")
        if digits >= 11:
            start = match.start() - (match.start() > 0 and text[match.start() - 1] == "+")
            before = max(start - 1, 0)
            piece = _Piece(text[before:match.end() + 1].translate(CHINESE_DIGITS))
            piece.offset = before
            yield piece, start - before, len(piece), digits


def _at(match: re.Match, piece: _Piece) -> tuple[int, int]:
    return match.start() + piece.offset, match.end() + piece.offset
