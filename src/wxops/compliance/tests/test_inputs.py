"""Bad and odd input never crashes a check; HTML is read as far as it goes; lexicon files round-trip."""

import random

import pytest

from wxops.compliance import lexicon as lx
from wxops.compliance.engine import MAX_CHARACTERS, TextTooLong, check
from wxops.compliance.findings import Severity, Verdict
from wxops.compliance.html_text import extract
from wxops.compliance.rules import Rule


def test_empty_and_blank_texts_pass():
    assert check("").as_dict() == {"verdict": "pass", "findings": []}
    assert check(" \n\t\u3000").verdict == Verdict.PASS


def test_binary_garbage_decoded_any_way_gets_a_report():
    rng = random.Random(7)
    garbage = bytes(rng.randrange(256) for _ in range(200_000))
    for text in (garbage.decode("latin-1"), garbage.decode("utf-8", "replace"), garbage.decode("utf-16-le", "replace")):
        report = check(text)
        assert report.verdict in set(Verdict)
        assert all(0 <= f.start <= f.end <= len(text) and text[f.start:f.end] == f.text for f in report.findings)


def test_lone_surrogates_and_astral_characters():
    report = check("\ud800赌\U0001f3b2博\udfff")
    assert [(f.start, f.end) for f in report.findings] == [(1, 4)]


def test_a_10_mb_paste_is_checked_and_too_much_is_refused_clearly():
    text = "市场平稳。" * 700_000 + "稳赚不赔"
    assert len(text.encode()) > 10_000_000
    assert [f.text for f in check(text).findings] == ["稳赚不赔"]
    with pytest.raises(TextTooLong, match="at most 10,000,000"):
        check("字" * (MAX_CHARACTERS + 1))


def test_bytes_are_refused_with_a_clear_message():
    with pytest.raises(TypeError, match="decode bytes first"):
        check(b"abc")


class ExplodingRule(Rule):
    name = "exploding"
    clause = "2.4"

    def find(self, subject):
        raise RuntimeError("boom")


def test_a_failing_rule_turns_into_a_review_finding_not_a_pass():
    report = check("今天天气很好", rules=[ExplodingRule()])
    assert report.verdict == Verdict.REVIEW
    assert [(f.rule, f.severity) for f in report.findings] == [("exploding", Severity.REVIEW)]


def test_html_text_links_alt_and_embeds():
    page = extract('<h1>标题</h1><p>正文<a href="https://x.example.top/a">点此</a></p><script>var a="赌博"</script>'
                   '<img src="a.png" alt="集赞"><embed embedtype="image" id="7" alt="封面"/>')
    assert page.text == "标题\n正文点此 [链接 https://x.example.top/a]\n[图片 集赞][图片 封面]"
    assert page.links == ("https://x.example.top/a",)
    assert page.images == ("a.png", "embed:7")


@pytest.mark.parametrize("html", ["<p>未闭合<b>加粗<a href='http://a.top'>链", "<<<>>>&&&", "<p", "</div></div>文字",
                                  "<a href=>x</a>", "\x00<p>\x00</p>"])
def test_broken_html_is_read_as_far_as_it_goes(html):
    page = extract(html)
    assert isinstance(page.text, str)
    check(page.text)


def test_lexicon_csv_round_trip_and_pinyin_spellings():
    terms = lx.parse_terms("term,clause,severity,family,pinyin,suggestion\n赌博,1.7,block,gambling,1,删除\n")
    assert terms == [lx.Term("赌博", "1.7", Severity.BLOCK, "gambling", True, "删除")]
    assert lx.parse_terms(lx.format_terms(terms)) == terms
    assert lx.pinyin_spellings("赌博") == ["du bo", "dubo", "du博", "赌bo"]


def test_lexicon_errors_name_the_line():
    with pytest.raises(lx.LexiconError, match="line 2: severity 'fatal'"):
        lx.parse_terms("好,3,review\n坏,3,fatal\n")


def test_compiled_lexicons_are_cached_by_key():
    built = []

    def build():
        built.append(1)
        return lx.CompiledLexicon([lx.Term("甲乙丙", "3", Severity.REVIEW)])

    first = lx.compiled("test-key", build)
    assert lx.compiled("test-key", build) is first
    assert built == [1]


def test_pinyin_only_for_flagged_terms_and_not_inside_english_words():
    lexicon = lx.CompiledLexicon([lx.Term("赌博", "1.7", Severity.BLOCK, "gambling", True),
                                  lx.Term("色情", "1.7", Severity.BLOCK, "obscenity", False)])
    assert [f.text for f in check("来dubo吧 sheqing", lexicon).findings] == ["dubo"]
    assert check("Mr. Dubois", lexicon).findings == ()


def test_one_severity_gives_the_model_choices_and_the_labels_shown():
    from django.utils import translation
    from django.utils.translation import gettext

    from wxops.compliance.models import SEVERITY_CHOICES, Term

    assert [value for value, _label in SEVERITY_CHOICES] == [s.value for s in Severity]
    assert Term._meta.get_field("severity").choices == SEVERITY_CHOICES
    with translation.override("zh-hans"):
        assert [gettext(s.label) for s in Severity] == ["阻止", "审核", "提示"]


def test_the_findings_summary_line_names_each_finding_and_counts_the_rest():
    from wxops.compliance.engine import check
    from wxops.compliance.findings import summary_line

    report = check("稳赚不赔，加微信领取，转发到朋友圈")
    line = summary_line([("正文", f) for f in report.findings], limit=2)
    first, second = report.findings[:2]
    assert line == (f"正文「{first.text}」{first.clause} {first.message}; "
                    f"正文「{second.text}」{second.clause} {second.message}; … (+{len(report.findings) - 2})")


def _finding(rule, clause, start, end, severity=Severity.REVIEW):
    from wxops.compliance.findings import Finding

    return Finding(rule, clause, severity, start, end, "x" * (end - start), "m")


def test_a_model_finding_goes_only_where_a_worded_finding_of_1_4_or_1_8_lies_inside_it():
    from wxops.compliance.engine import without_repeats

    # Thousands of each (the check used to compare every pair): the ones holding a word go.
    model = [_finding("model.offensive", "1.8", 100 * i, 100 * i + 40) for i in range(3000)]
    worded = [_finding("insult", "1.8", 100 * i + 10, 100 * i + 14) for i in range(0, 3000, 2)]
    straddling = [_finding("ethnic", "1.4", 100 * i + 38, 100 * i + 42) for i in range(1, 3000, 2)]
    kept = without_repeats(model + worded + straddling)
    assert {f.start for f in kept if f.rule == "model.offensive"} == {100 * i for i in range(1, 3000, 2)}
    assert len([f for f in kept if f.rule != "model.offensive"]) == len(worded) + len(straddling)


def test_overlapping_findings_of_one_rule_keep_the_most_severe_then_the_longest():
    from wxops.compliance.engine import without_repeats

    found = [_finding("finance_promise", "1.9", 0, 4, Severity.REVIEW), _finding("finance_promise", "1.9", 0, 4, Severity.BLOCK),
             _finding("finance_promise", "1.9", 2, 9), _finding("finance_promise", "1.9", 20, 24),
             _finding("crime", "1.7", 1, 3)]
    kept = sorted((f.rule, f.start, f.end, f.severity.value) for f in without_repeats(found))
    assert kept == [("crime", 1, 3, "review"), ("finance_promise", 0, 4, "block"), ("finance_promise", 20, 24, "review")]
