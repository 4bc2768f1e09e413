"""Other people's personal information (2.3): PRC ID numbers, mobile numbers, bank cards, emails.

Numbers are validated, not just shaped: an ID number must carry a valid birth date and
check digit (python-stdnum), a bank card must pass Luhn. Unified social credit codes
(统一社会信用代码) identify companies, are public, and are never reported. Every finding
suggests a masked form, e.g. 110105********1234.
"""

from __future__ import annotations

import datetime
import re
from functools import lru_cache
from operator import mul

import numpy
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from wxops.compliance import char_classes
from wxops.compliance.findings import Finding, Severity
from wxops.compliance.rules import numbers
from wxops.compliance.rules.base import Found, Rule, Subject, findings_at

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
    the check digit and the date are computed as stdnum does (without its per-call clean-up,
    ~15 µs, for numbers that have no separators left) and the place is looked up once per
    county and year.
    """
    number = candidate.upper()
    if len(number) != 18 or not number[:17].isdigit():
        return False
    checksum = (1 - 2 * int(number[:17], 13)) % 11
    if number[17] != ("X" if checksum == 10 else str(checksum)):
        return False
    try:
        datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return _known_place(number[:6], number[6:10])


@lru_cache(maxsize=8192)
def _known_place(county: str, year: str) -> bool:
    try:
        ric.get_birth_place(f"{county}{year}0101000")
    except ValidationError:
        return False
    return True


_DOUBLED = "0246813579"
_DOUBLE = str.maketrans("0123456789", _DOUBLED)


def luhn_valid(number: str) -> bool:
    """The Luhn check of a string of ASCII digits (python-stdnum's, without its per-call validation;
    the digits summed as bytes, less 48 each for "0")."""
    return (sum(number[-1::-2].encode()) + sum(number[-2::-2].translate(_DOUBLE).encode()) - 48 * len(number)) % 10 == 0


_USCC_ALPHABET = {c: i for i, c in enumerate("0123456789ABCDEFGHJKLMNPQRTUWXY")}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def is_credit_code(number: str) -> bool:
    """A unified social credit code (GB 32100-2015), as python-stdnum's ``uscc.is_valid`` checks
    it — 18 characters, 8 digits first, its alphabet, the check character — for an upper-case
    number without separators, without stdnum's per-call clean-up (a dense page has thousands)."""
    if len(number) != 18 or not number[:8].isdigit():
        return False
    values = list(map(_USCC_ALPHABET.get, number))
    if None in values:
        return False
    return values[17] == (31 - sum(map(mul, values, _USCC_WEIGHTS))) % 31


def is_bank_card(number: str) -> bool:
    return 16 <= len(number) <= 19 and number.isdigit() and luhn_valid(number) and not (
        len(number) == 18 and is_credit_code(number))


#: What each kind of finding says: (rule, clause, severity, message).
Kind = tuple[str, str, Severity, str]
ID: Kind = ("pii.id_number", "2.3", Severity.BLOCK, "他人身份证号码（附件一 2.3 个人信息）")
CARD: Kind = ("pii.bank_card", "2.3", Severity.BLOCK, "银行卡号（附件一 2.3 个人信息，已通过 Luhn 校验）")
PHONE: Kind = ("pii.mobile", "2.3", Severity.REVIEW, "手机号码（附件一 2.3 个人信息）")
EMAIL_ADDRESS: Kind = ("pii.email", "2.3", Severity.REVIEW, "电子邮箱地址（附件一 2.3 个人信息）")


class PersonalInformationRule(Rule):
    name = "pii"
    clause = "2.3"

    def find(self, subject: Subject) -> list[Finding]:
        found: list[Found] = []

        def report(kind: Kind, start: int, end: int, suggestion: str) -> None:
            found.append((start, end, *kind, suggestion))

        text = subject.text
        first, end, digits, plain = _number_spans(subject.normalised.code_points(), subject.characters)
        length = end - first
        # A bare run of 11 is a mobile number or nothing (the most common by far: no call each).
        eleven = plain & (length == 11)
        runs = ((start, stop, text[start:stop]) for start, stop in zip(first[eleven].tolist(), end[eleven].tolist(),
                                                                        strict=True))
        runs = ((start, stop, run if run.isascii() else run.translate(CHINESE_DIGITS)) for start, stop, run in runs)
        found += [(start, stop, *PHONE, f"{run[:3]}****{run[7:]}") for start, stop, run in runs
                  if run[0] == "1" and run[1] in "3456789"]
        # Other bare runs: an ID is 18 characters, a card 16–19 digits, anything else nothing
        # (13 digits may be 86 and a mobile: the patterns below decide).
        for size in range(16, 20):
            found += _bare(text, subject.normalised.code_points(), first[plain & (length == size)], size)
        grouped = ~plain | (length == 13)
        for piece, offset, run_start, count in _number_runs(text, first[grouped], end[grouped], digits[grouped]):
            self._grouped(piece, offset, run_start, count, report)
        for match in _emails(subject.text, subject.characters):
            report(EMAIL_ADDRESS, *match.span(), mask_email(match.group()))
        return findings_at(subject, found)

    @staticmethod
    def _grouped(piece: str, offset: int, run_start: int, digits: int, report) -> None:
        """The numbers in a run that is not bare digits (grouped, +86, letters next to it): the patterns decide."""
        run_end = len(piece)
        # Characters of this run already reported (an ID is not also a card or a phone):
        # one flag a character, so each check costs the match's length, never the number
        # of earlier matches (a page of 10,000 phone numbers stays linear).
        taken = bytearray(run_end - run_start) if digits >= 16 else None
        if digits >= 17:
            for match in ID_NUMBER.finditer(piece, run_start, run_end):
                value = digits_of(match.group()).upper() if len(match.group()) > 18 else match.group().upper()
                if is_id_number(value) and not is_credit_code(value):
                    taken[match.start() - run_start:match.end() - run_start] = b"\x01" * len(match.group())
                    report(ID, match.start() + offset, match.end() + offset, mask_middle(value, 6, 4))
        if digits >= 16:
            for match in BANK_CARD.finditer(piece, run_start, run_end):
                start, end = match.start() - run_start, match.end() - run_start
                number = digits_of(match.group())
                if taken.find(1, start, end) == -1 and is_bank_card(number):
                    taken[start:end] = b"\x01" * (end - start)
                    report(CARD, match.start() + offset, match.end() + offset, mask_middle(number, 6, 4))
        for match in MOBILE.finditer(piece, run_start, run_end):
            if taken is None or taken.find(1, match.start() - run_start, match.end() - run_start) == -1:
                number = digits_of(match.group())[-11:]
                report(PHONE, match.start() + offset, match.end() + offset, mask_middle(number, 3, 4))


def _bare(text: str, codes: numpy.ndarray, starts: numpy.ndarray, length: int) -> list[Found]:
    """The ID numbers and bank cards among bare runs of ``length`` (16–19) characters from ``starts``
    (digits only, perhaps an x last, nothing word-like either side), decided for all at once: an ID
    by its shape, check digit, date and place, unless it is a credit code; else a card by Luhn,
    unless it starts with 0 or is a credit code."""
    if not len(starts):
        return []
    values = numbers.digit_matrix(codes, starts, length)
    credit = numbers.credit_codes(values)
    is_id = numbers.id_numbers(values) & ~credit if length == 18 else numpy.zeros(len(starts), dtype=bool)
    candidates = starts[is_id].tolist()
    runs = [_digits(text[start:start + length]) for start in candidates]
    placed = [_known_place(run[:6], run[6:10]) for run in runs]
    is_id[is_id] = placed
    card = ~is_id & ~credit & (values[:, 0] != 0) & numbers.luhn(values)
    found = [(start, start + length, *ID, f"{run[:6]}********{run[14:].upper()}")
             for start, run, known in zip(candidates, runs, placed, strict=True) if known]
    hidden = "*" * (length - 10)
    found += [(start, start + length, *CARD, f"{run[:6]}{hidden}{run[-4:]}")
              for start, run in ((start, _digits(text[start:start + length])) for start in starts[card].tolist())]
    return found


def _digits(run: str) -> str:
    """A run with its Chinese digits read as digits."""
    return run if run.isascii() else run.translate(CHINESE_DIGITS)


_CHINESE_DIGIT = frozenset(char_classes.CHINESE_DIGITS)
#: A run is not bare when one of these is just before it (a letter, a digit, the + of +86) …
_WORD_BEFORE = numpy.array([ord(c) for c in "0123456789abcdefghijklmnopqrstuvwxyz+"], dtype=numpy.uint32)
#: … or just after it (a letter, or a digit, Chinese ones too, after its final x).
_WORD_AFTER = numpy.array([ord(c) for c in "0123456789abcdefghijklmnopqrstuvwxyz" + char_classes.CHINESE_DIGITS],
                          dtype=numpy.uint32)


def _number_spans(codes: numpy.ndarray, characters: char_classes.CharIndex):
    """``(start, end, digits, bare)`` arrays of the runs a regex ``[D][D -]{9,}[Dx]`` finds (D a
    digit, Arabic or Chinese) that hold at least 11 digits: the only places an ID, card or
    mobile number can be. Found with array operations, not a regex over the whole text: a run
    of digits, spaces and hyphens reads from its first digit to its last, or to an x just after
    it. ``bare``: the run is digits only (the last may be an x) with no letter, digit or + next
    to it, so its length alone says what it can be (a dense page is mostly such runs)."""
    size = len(codes)
    starts, ends = characters.runs(char_classes.DIGIT | char_classes.SPACE_DASH)
    digit_at = characters.where(char_classes.DIGIT)
    first_index = numpy.searchsorted(digit_at, starts)
    after_last = numpy.searchsorted(digit_at, ends)
    some = after_last - first_index >= 11  # fewer than 11 digits in the whole run: nothing to find
    first_index, after_last, ends = first_index[some], after_last[some], ends[some]
    first, last = digit_at[first_index], digit_at[after_last - 1]
    x_after = ends < size
    x_after[x_after] = codes[ends[x_after]] == ord("x")
    end = numpy.where(x_after, ends + 1, last + 1)
    digits = after_last - first_index
    bare = digits == end - first - x_after
    bare &= (first == 0) | ~numpy.isin(codes[numpy.maximum(first - 1, 0)], _WORD_BEFORE)
    bare &= (end >= size) | ~numpy.isin(codes[numpy.minimum(end, size - 1)], _WORD_AFTER)
    return first, end, digits, bare


def _number_runs(text: str, first: numpy.ndarray, end: numpy.ndarray, digits: numpy.ndarray):
    """``(piece, offset, start, digits)`` for each run of :func:`_number_spans`: ``piece`` is the
    run with one character of context each side (so the patterns' look-arounds see what
    surrounds it: 91110000600037341L is a credit code, not a card), Chinese digits read as
    digits (一三八…, 幺 for 1 as phone numbers are spoken), one character for one; ``offset``
    is where the piece starts in ``text`` and ``start`` where the run starts in the piece (the
    run ends with the piece, or one character before it)."""
    for match_start, match_end, count in zip(first.tolist(), end.tolist(), digits.tolist(), strict=True):
        start = match_start - (match_start > 0 and text[match_start - 1] == "+")
        before = max(start - 1, 0)
        piece = text[before:match_end + 1]
        if not text[match_start:match_end].isascii() or piece[0] in _CHINESE_DIGIT or piece[-1] in _CHINESE_DIGIT:
            piece = piece.translate(CHINESE_DIGITS)
        yield piece, before, start - before, count


def _emails(text: str, characters: char_classes.CharIndex):
    """EMAIL's matches in ``text``, the pattern run only from the start of the run of
    local-part characters before each @ to the end of the host name after it (the whole of a
    long Chinese text costs more than its few addresses). Like a scan of the whole text, a
    match starts after the previous one ends."""
    ats = characters.where(char_classes.AT)
    if not len(ats):
        return
    starts, ends = ats.copy(), ats + 1
    local_starts, local_ends = characters.runs(char_classes.LOCAL)
    if len(local_ends):
        index = numpy.minimum(numpy.searchsorted(local_ends, ats), len(local_ends) - 1)
        before = local_ends[index] == ats  # a run of local-part characters ends at the @
        starts[before] = local_starts[index][before]
    domain_starts, domain_ends = characters.runs(char_classes.DOMAIN)
    if len(domain_starts):
        index = numpy.minimum(numpy.searchsorted(domain_starts, ats + 1), len(domain_starts) - 1)
        after = domain_starts[index] == ats + 1  # a host name starts after the @
        ends[after] = domain_ends[index][after]
    resume = 0
    for at, start, end in zip(ats.tolist(), starts.tolist(), ends.tolist(), strict=True):
        if at < resume:
            continue
        for match in EMAIL.finditer(text, max(start, resume), end):
            resume = match.end()
            yield match
