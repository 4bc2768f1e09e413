"""Evasions of issue 13, each written several ways (the independent test set stays unseen)."""

import pytest
from stdnum.cn import ric

from wxops.compliance.engine import check


def an_id_number(birth: str = "19870415", county: str = "320102", serial: str = "031") -> str:
    body = county + birth + serial
    return body + ric.calc_check_digit(body + "0")


def rules_of(text: str) -> list[tuple[str, str]]:
    return [(f.rule, f.text) for f in check(text).findings]


@pytest.mark.parametrize("shape", ["{a} {b} {c}", "{a}-{b}-{c}", "{a} {b1} {b2} {c}", "{a}-{b1}-{b2}{c}"])
def test_an_id_number_grouped_by_spaces_or_dashes_is_found(shape):
    number = an_id_number()
    written = shape.format(a=number[:6], b=number[6:14], b1=number[6:10], b2=number[10:14], c=number[14:])
    assert rules_of(f"客户身份证：{written}，请核对") == [("pii.id_number", written)]


def test_a_grouped_number_that_fails_the_check_digit_is_not_an_id():
    number = an_id_number()
    wrong = number[:17] + ("1" if number[17] != "1" else "2")
    assert rules_of(f"编号 {wrong[:6]} {wrong[6:14]} {wrong[14:]}") == []


@pytest.mark.parametrize("written", ["一三九零七五五二四六八", "幺三九 零七五五 二四六八", "壹叁玖零柒伍伍贰肆陆捌",
                                     "一三九-〇七五五-二四六八"])
def test_a_phone_number_in_chinese_digits_is_found_where_it_was_written(written):
    found = check(f"有事打我{written}哦")
    assert [(f.rule, f.text, f.suggestion) for f in found.findings] == [("pii.mobile", written, "139****2468")]
    assert found.text[found.findings[0].start:found.findings[0].end] == written


@pytest.mark.parametrize("text", ["第一季度、第二季度和第三季度", "一二三四五六七八九十", "三五成群，七上八下"])
def test_chinese_numerals_in_prose_are_not_phone_numbers(text):
    assert rules_of(text) == []


@pytest.mark.parametrize("space", ["\u00a0", "\u2002", "\u2003", "\u2009", "\u202f"])
def test_no_break_and_em_spaces_separate_like_spaces(space):
    assert [r for r, _t in rules_of(space.join("保本保息"))] == ["finance_promise"]
    assert [r for r, _t in rules_of(f"138{space}0013{space}8000")] == ["pii.mobile"]


def test_spaced_letters_are_found_where_a_scan_of_the_whole_text_finds_them():
    """The pattern runs only near letters 2–4 apart: on generated texts of letters, separators,
    digits and Chinese, the same matches as running it over everything."""
    import random

    from wxops.compliance.char_classes import CharIndex
    from wxops.compliance.normalise import normalise
    from wxops.compliance.rules.lexicon_terms import SPACED_LETTERS, spaced_letters

    rng = random.Random(13)
    alphabet = list("abcxyz") * 4 + list(" .-_*/·") * 3 + list("09") + list("赌博中") + ["\n", "  ", "..."]
    compared = 0
    for _ in range(1000):
        text = normalise("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))).text
        expected = [m.span() for m in SPACED_LETTERS.finditer(text)]
        assert [m.span() for m in spaced_letters(text, CharIndex.of(normalise(text).code_points()))] == expected, text
        compared += len(expected)
    assert compared > 300
