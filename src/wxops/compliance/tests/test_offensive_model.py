"""The shipped offensive-language model: in the package, review only, clause by target, the sentence quoted.

Runs without the shared data (the model ships in the package); the COLD accuracy check
skips when the data is absent.
"""

import csv
from importlib import resources
from pathlib import Path

import pytest

from wxops.compliance.classifier import MODEL_FILE, classifier
from wxops.compliance.engine import check
from wxops.compliance.rules.offensive import OffensiveLanguageRule, sentences

COLD = Path(__file__).resolve().parents[4].parent / "shared" / "data" / "compliance" / "labelled" / "cold"


def model_findings(text: str):
    return [f for f in check(text).findings if f.rule == "model.offensive"]


def test_the_model_ships_inside_the_package_and_is_small():
    shipped = resources.files("wxops.compliance").joinpath(MODEL_FILE)
    assert shipped.is_file()
    assert shipped.stat().st_size <= 30 * 1024 * 1024
    assert resources.files("wxops.compliance").joinpath("data/offensive_cold.LICENSE").is_file()


@pytest.mark.parametrize(("sentence", "clause"), [
    ("那个地方的人素质太低了，全是小偷和骗子，滚出我们城市", "1.4"),
    ("那些外国黑人都是懒鬼，天天就知道犯罪", "1.4"),
    ("男人没一个好东西，全都是渣男", "1.8"),
])
def test_an_attack_without_listed_words_is_a_review_finding_quoting_the_sentence(sentence, clause):
    text = f"今天的话题比较敏感。{sentence}。欢迎留言讨论。"
    found = model_findings(text)
    assert [(f.clause, f.severity.value, f.text) for f in found] == [(clause, "review", sentence + "。")]
    assert text[found[0].start:found[0].end] == found[0].text
    assert "模型判断" in found[0].message


@pytest.mark.parametrize("text", [
    "本季度公司营收同比增长百分之十二，净利润率保持稳定。",
    "个人所得税年度汇算将于三月一日开始，纳税人可通过个人所得税App办理。",
    "我们走访了河南、四川和广东的三十家小微企业，了解它们的融资需求。",
    "女性创业者在小微企业中的占比逐年提高，值得关注。",
])
def test_ordinary_finance_writing_about_places_and_people_is_left_alone(text):
    assert model_findings(text) == []


@pytest.mark.parametrize("text", [
    "警方提醒：凡是宣称“稳赚不赔”的投资都是诈骗",
    "警方提醒：“稳赚不赔”",
    "税务局提醒：谨防“代开发票”诈骗。",
    "接到自称公检法的电话要小心，这是骗局。",
    "反诈中心提醒：刷单返利都是诈骗。",
])
def test_a_warning_quoting_a_forbidden_promise_is_no_attack(text):
    """The model read 诈骗, 提醒 and the quoted claim as offence (0.78–0.92); the claim itself is
    still the lexicon's finding, lowered to review in this context."""
    report = check(text)
    assert [f for f in report.findings if f.rule == "model.offensive"] == []
    assert classifier().score(text).offensive >= 0.7  # the model alone still says offensive: the rule decides


def test_the_police_warning_keeps_its_lexicon_finding_as_a_review():
    report = check("警方提醒：凡是宣称“稳赚不赔”的投资都是诈骗")
    assert [(f.rule, f.severity.value, f.text) for f in report.findings] == [("finance_promise", "review", "稳赚不赔")]


@pytest.mark.parametrize(("text", "clause"), [
    ("警方提醒：河南人都是骗子。", "1.4"),
    ("提醒大家，河南人都是骗子，别信。", "1.4"),
    ("黑人都是罪犯，警方早就通报过。", "1.4"),
    ("警惕！女人都是骗子，别信她们。", "1.8"),
])
def test_an_attack_dressed_as_a_warning_is_still_found(text, clause):
    found = model_findings(text)
    assert [(f.clause, f.severity.value) for f in found] == [(clause, "review")]


def test_the_model_alone_never_blocks():
    report = check("那个地方的人素质太低了，全是小偷和骗子，滚出我们城市。")
    assert {f.severity.value for f in report.findings if f.rule == "model.offensive"} == {"review"}
    assert OffensiveLanguageRule.clause in {"1.8"}


def test_sentences_are_cut_at_ends_and_very_long_ones_at_commas():
    text = "短句。这是一个完整的句子！" + "很长的一段话，" * 40
    spans = list(sentences(text))
    assert text[spans[0][0]:spans[0][1]] == "这是一个完整的句子！"
    assert all(end - start <= 160 for start, end in spans)


def test_scoring_one_by_one_equals_scoring_together():
    model = classifier()
    texts = ["你这个人真恶心", "今天天气不错", "", "   ", "😀😀😀"]
    assert [model.score(t) for t in texts] == model.score_many(texts)


@pytest.mark.skipif(not COLD.is_dir(), reason="the shared COLD data is not here")
def test_accuracy_on_cold_test_is_at_least_0_78():
    with (COLD / "test.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    scores = classifier().score_many([row["TEXT"] for row in rows])
    accuracy = sum((s.offensive >= 0.5) == (row["label"] == "1") for s, row in zip(scores, rows, strict=True)) / len(rows)
    assert accuracy >= 0.78
