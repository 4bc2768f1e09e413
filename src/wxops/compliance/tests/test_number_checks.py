"""The array checks of many numbers at once say what python-stdnum says of each one."""

import random

import numpy
import pytest
from stdnum import luhn
from stdnum.cn import ric, uscc

from wxops.compliance.engine import check
from wxops.compliance.rules import numbers
from wxops.compliance.rules.pii import _known_place


def matrix(texts: list[str]) -> numpy.ndarray:
    joined = "".join(texts).lower()
    codes = numpy.frombuffer(joined.encode("utf-32-le"), dtype=numpy.uint32)
    length = len(texts[0])
    return numbers.digit_matrix(codes, numpy.arange(0, len(joined), length), length)


def id_like(rng: random.Random) -> str:
    """Mostly plausible ID numbers: some valid, some with a wrong check digit, date or county."""
    county = rng.choice(["110105", "310101", "440301", "999999", "110100", "012345"])
    body = (f"{county}{rng.randrange(1790, 2110)}{rng.randrange(0, 14):02d}{rng.randrange(0, 33):02d}"
            f"{rng.randrange(1000):03d}")
    last = ric.calc_check_digit(body + "0") if rng.random() < 0.7 else rng.choice("0123456789X")
    return body + last


@pytest.mark.parametrize("seed", range(3))
def test_id_numbers_match_stdnum(seed):
    rng = random.Random(seed)
    candidates = [id_like(rng) for _ in range(3000)]
    ours = numbers.id_numbers(matrix(candidates))
    places = [_known_place(c[:6], c[6:10]) for c in candidates]
    expected = [ric.is_valid(c) and 1800 <= int(c[6:10]) <= 2099 for c in candidates]
    assert sum(expected) > 500  # the generator makes valid ones, not only noise
    assert [bool(o) and p for o, p in zip(ours, places, strict=True)] == expected


@pytest.mark.parametrize("length", [16, 17, 18, 19])
def test_luhn_matches_stdnum(length):
    rng = random.Random(length)
    candidates = []
    for _ in range(3000):
        body = "".join(rng.choice("0123456789") for _ in range(length - 1))
        candidates.append(body + (luhn.calc_check_digit(body) if rng.random() < 0.5 else rng.choice("0123456789x")))
    expected = [luhn.is_valid(c) for c in candidates]
    assert 1000 < sum(expected) < 3000
    assert numbers.luhn(matrix(candidates)).tolist() == expected


def test_credit_codes_match_stdnum():
    rng = random.Random(7)
    candidates = []
    while len(candidates) < 3000:  # a number run holds digits and an x: codes checked by a letter are not here
        body = "".join(rng.choice("0123456789") for _ in range(17))
        last = uscc.calc_check_digit(body + "0") if rng.random() < 0.5 else rng.choice("0123456789X")
        if last in "0123456789X":
            candidates.append(body + last)
    expected = [uscc.is_valid(c) for c in candidates]
    assert 500 < sum(expected) < 3000
    assert numbers.credit_codes(matrix(candidates)).tolist() == expected


def test_a_page_of_bare_numbers_is_reported_as_stdnum_would():
    """Through the rule: every bare 18-character run is an ID exactly when stdnum says so (and it is
    no credit code; born 1800–2099), a 16–19-digit run a card when Luhn says so; Chinese digits are read as digits."""
    rng = random.Random(11)
    numbers_ = [id_like(rng) for _ in range(400)]
    numbers_ += ["".join(rng.choice("123456789") for _ in range(rng.choice([16, 17, 19]))) for _ in range(400)]
    text = "，".join(f"号码{n}" for n in numbers_) + "。"
    text = text.replace("12", "一二", 5)  # a few written in Chinese digits
    reported = {f.text.translate(str.maketrans("一二", "12")).upper(): f.rule for f in check(text).findings
                if f.rule.startswith("pii.")}
    for number in numbers_:
        if len(number) == 18 and ric.is_valid(number) and number[6:8] in ("18", "19", "20") and not uscc.is_valid(number):
            assert reported.get(number) == "pii.id_number", number
        elif luhn.is_valid(number) and number[0] != "0" and not (len(number) == 18 and uscc.is_valid(number)):
            assert reported.get(number) == "pii.bank_card", number
        else:
            assert number not in reported, number
