"""Other people's personal information (2.3): PRC ID numbers, mobile numbers, bank cards, emails.

Numbers are validated, not just shaped: an ID number must carry a valid birth date and
check digit (python-stdnum), a bank card must pass Luhn. Unified social credit codes
(统一社会信用代码) identify companies, are public, and are never reported. Every finding
suggests a masked form, e.g. 110105********1234.
"""

from __future__ import annotations

import re

from stdnum import luhn
from stdnum.cn import ric, uscc

from wxops.compliance.findings import Severity
from wxops.compliance.rules.base import Rule, Subject

ID_NUMBER = re.compile(r"(?<![0-9a-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dx](?![0-9a-z])")
MOBILE = re.compile(r"(?<![0-9a-z])(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?![0-9a-z])")
BANK_CARD = re.compile(r"(?<![0-9a-z])[1-9]\d{3}(?:[ -]?\d{4}){2,3}(?:[ -]?\d{1,3})?(?![0-9a-z])")
EMAIL = re.compile(r"(?<![a-z0-9._%+-])[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}", re.ASCII)
_DIGITS = re.compile(r"\d")


def digits_of(text: str) -> str:
    return "".join(_DIGITS.findall(text))


def mask_middle(value: str, keep_start: int, keep_end: int) -> str:
    """``110105199001011234`` → ``110105********1234``."""
    hidden = max(len(value) - keep_start - keep_end, 0)
    return value[:keep_start] + "*" * hidden + value[len(value) - keep_end:]


def mask_email(address: str) -> str:
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"


def is_id_number(candidate: str) -> bool:
    return ric.is_valid(candidate.upper())


def is_bank_card(number: str) -> bool:
    return 16 <= len(number) <= 19 and luhn.is_valid(number) and not uscc.is_valid(number)


class PersonalInformationRule(Rule):
    name = "pii"
    clause = "2.3"

    def find(self, subject: Subject):
        text = subject.text
        taken: list[tuple[int, int]] = []

        def free(start: int, end: int) -> bool:
            return all(end <= a or start >= b for a, b in taken)

        for run_start, run_end in _number_runs(text):
            for match in ID_NUMBER.finditer(text, run_start, run_end):
                value = match.group()
                if is_id_number(value) and not uscc.is_valid(value.upper()):
                    taken.append(match.span())
                    yield self.finding(subject, *match.span(), severity=Severity.BLOCK, rule="pii.id_number",
                                       message="他人身份证号码（附件一 2.3 个人信息）",
                                       suggestion=mask_middle(value.upper(), 6, 4))
            for match in BANK_CARD.finditer(text, run_start, run_end):
                number = digits_of(match.group())
                if free(*match.span()) and is_bank_card(number):
                    taken.append(match.span())
                    yield self.finding(subject, *match.span(), severity=Severity.BLOCK, rule="pii.bank_card",
                                       message="银行卡号（附件一 2.3 个人信息，已通过 Luhn 校验）",
                                       suggestion=mask_middle(number, 6, 4))
            for match in MOBILE.finditer(text, run_start, run_end):
                number = digits_of(match.group())[-11:]
                if free(*match.span()):
                    taken.append(match.span())
                    yield self.finding(subject, *match.span(), severity=Severity.REVIEW, rule="pii.mobile",
                                       message="手机号码（附件一 2.3 个人信息）", suggestion=mask_middle(number, 3, 4))
        if "@" in text:
            for match in EMAIL.finditer(text):
                yield self.finding(subject, *match.span(), severity=Severity.REVIEW, rule="pii.email",
                                   message="电子邮箱地址（附件一 2.3 个人信息）", suggestion=mask_email(match.group()))


#: Digits, possibly grouped by spaces or hyphens, with an optional +86 and a final X:
#: the only places an ID, card or mobile number can be, found in one pass.
_NUMBER_RUN = re.compile(r"\+?\d[\d -]{9,}[\dx]")


def _number_runs(text: str):
    for match in _NUMBER_RUN.finditer(text):
        if sum(c.isdigit() for c in match.group()) >= 11:
            # One character more, so the patterns' look-ahead sees what follows the run
            # (a search's endpos hides it): 91110000600037341L is a credit code, not a card.
            yield match.start(), min(match.end() + 1, len(text))
