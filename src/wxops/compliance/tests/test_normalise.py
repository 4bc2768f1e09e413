"""The fast (numpy) normaliser agrees with a plain regex statement of the same rules."""

import random
import re

import pytest

from wxops.compliance import normalise as n


def reference(text):
    """The rules of the module docstring written as regexes (slow, obviously right)."""
    folded = n.to_simplified(text).translate(n._FOLD)
    delete = re.compile(
        f"(?<=[{n.CJK}])[{n.SEPARATORS}]{{1,3}}(?=[{n.WORD}])"
        f"|(?<=[{n.WORD}])[{n.SEPARATORS}]{{1,3}}(?=[{n.CJK}])"
        f"|[{n.ZERO_WIDTH}]+"
    )
    kept, origins, position = [], [], 0
    for match in delete.finditer(folded):
        kept.append(folded[position:match.start()])
        origins.extend(range(position, match.start()))
        position = match.end()
    kept.append(folded[position:])
    origins.extend(range(position, len(folded)))
    return "".join(kept), origins


ALPHABET = list("赌博六合彩最佳第一季度中文字加微信賭們") + list("aZ9xV") + list(" *._-|~\u3000") + \
    ["\u200b", "\ufeff", "\n", "，", "。", "Ｖ", "ｘ", "а", "ⓥ", "🎲", "𝐚", "“", "”", "…"]


@pytest.mark.parametrize("seed", range(300))
def test_fast_normaliser_equals_the_reference(seed):
    rng = random.Random(seed)
    text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 60)))
    expected_text, origins = reference(text)
    result = n.normalise(text)
    assert result.text == expected_text
    assert [result.to_original(i) for i in range(len(result.text))] == origins


def test_long_separator_runs_stay_but_zero_width_goes():
    assert n.normalise("赌****博").text == "赌****博"
    assert n.normalise("赌\u200b\u200b\u200b\u200b博").text == "赌博"
    assert n.normalise("赌 \u200b \u200b博").text == "赌  博"


def test_newlines_and_chinese_punctuation_are_boundaries():
    assert n.normalise("依法，轮流\n赌\n博").text == "依法，轮流\n赌\n博"


def test_spans_of_an_empty_and_an_untouched_text():
    assert n.normalise("").text == ""
    plain = "今天天气很好"
    assert n.normalise(plain).text is plain
    assert n.normalise(plain).span(2, 4) == (2, 4)


def test_an_ascii_text_only_changes_case():
    """The engine relies on it to skip normalising numbers, addresses and links for the allowlist."""
    rng = random.Random(11)
    for _ in range(2000):
        text = "".join(chr(rng.randrange(128)) for _ in range(rng.randint(0, 40)))
        assert n.normalise(text).text == text.lower()
