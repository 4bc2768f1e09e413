"""The pure core: charsets, feeds, pages, MinHash, classifier, files. No database."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from wxops.sources import synthetic
from wxops.sources.candidates import Document, Problem
from wxops.sources.canonical_urls import canonical_url
from wxops.sources.charsets import decode
from wxops.sources.classifier import DEFAULT_CATEGORIES, Classifier, ClassifierError, Example, seed_examples
from wxops.sources.extraction import NotAnArticle, extract_page, find_byline
from wxops.sources.feeds import FeedError, parse_feed
from wxops.sources.files import read_path
from wxops.sources.minhash import MinhashIndex, signature, similarity
from wxops.sources.pipeline import Pool
from wxops.sources.segmentation import keywords, tokens
from wxops.sources.tests.conftest import FIXTURES, SHARED_DATA, fixture_bytes


def test_gb2312_feed_with_blank_line_before_declaration_and_relative_links():
    feed = parse_feed(fixture_bytes("feed_gb2312_blank_line.xml"), url="http://news.example.cn/rss.xml")
    title, documents = feed.title, feed.documents
    assert title == "中恒财税资讯" and feed.warnings == ()
    assert [d.title for d in documents] == ["税务总局：小规模纳税人增值税优惠延续", "人社部：灵活用工人员职业伤害保障扩大试点"]
    assert documents[0].url == "http://news.example.cn/tax/2026/1126.html"
    assert documents[0].published.isoformat() == "2026-11-25T01:30:00+00:00"
    assert documents[1].published is None
    assert documents[0].guid == "http://news.example.cn/tax-1126"  # feedparser resolves it too


def test_big5_feed_and_a_feed_whose_declared_charset_lies():
    big5 = parse_feed(fixture_bytes("feed_big5.xml")).documents
    assert big5[0].title == "會計師公會發布查核風險提示"
    lying = parse_feed(fixture_bytes("feed_declared_utf8_is_gbk.xml")).documents
    assert lying[0].title == "企业年金新规解读"
    assert decode(fixture_bytes("feed_declared_utf8_is_gbk.xml")).encoding == "gb18030"


def test_malformed_xml_is_a_clear_feed_error():
    with pytest.raises(FeedError, match="Not a readable RSS or Atom feed"):
        parse_feed(fixture_bytes("feed_malformed.xml"))


def test_page_extraction_with_chinese_byline_and_date():
    document = extract_page(fixture_bytes("article_gbk.html"), url="http://zh.example.cn/hr/1.html")
    assert document.title == "企业如何应对社保新规"
    assert document.author == "李明远"
    assert document.source_name == "中恒资讯网"
    assert document.published.date().isoformat() == "2026-11-24"
    assert document.text.startswith("今年以来，各地社保费统一由税务部门征收")
    assert "广告" not in document.text and "ICP" not in document.text


def test_a_homepage_is_not_an_article():
    with pytest.raises(NotAnArticle, match="No article text"):
        extract_page(fixture_bytes("homepage.html"))


@pytest.mark.parametrize(("line", "author", "source"), [
    ("2026-11-20 来源：新华网 作者：张三", "张三", "新华网"),
    ("本报记者 王五 李四 报道", "王五 李四", ""),
    ("文/赵六　编辑：钱七", "赵六", ""),
    ("出处：人民日报 | 2026年11月1日", "", "人民日报"),
])
def test_chinese_bylines(line, author, source):
    found = find_byline(line)
    assert (found.author, found.source) == (author, source)


def test_canonical_url_drops_tracking_and_fragment():
    assert canonical_url("HTTPS://Mp.Example.com:443/s?sn=1&__biz=A&utm_source=wx&from=timeline#rd") == \
        "https://mp.example.com/s?__biz=A&sn=1"


def test_reprints_group_and_different_stories_do_not():
    rng = random.Random(3)
    original = synthetic.article(rng, 1)
    copy = synthetic.reprint(rng, original, 1)
    other = synthetic.article(rng, 2)
    a, b, c = (signature(tokens(d.title + d.text)) for d in (original, copy, other))
    assert similarity(a, b) >= 0.5
    assert similarity(a, c) < 0.5
    index = MinhashIndex()
    index.add("original", a)
    assert [key for key, _ in index.near(b)] == ["original"]
    assert index.near(c) == []


def test_pool_marks_exact_and_near_duplicates():
    pool = Pool()
    rng = random.Random(4)
    original = synthetic.article(rng, 1)
    first = pool.add(1, original, classify=False)
    again = pool.add(2, original, classify=False)
    reprint = pool.add(3, synthetic.reprint(rng, original, 9), classify=False)
    assert (first.status, again.status, reprint.status) == ("new", "duplicate", "near_duplicate")
    assert reprint.story == first.story and reprint.duplicate_of == 1


def test_seed_examples_cover_every_default_category_with_thirty_or_more():
    counts = dict.fromkeys(DEFAULT_CATEGORIES, 0)
    for example in seed_examples():
        counts[example.category] += 1
    assert all(count >= 30 for count in counts.values()), counts


def test_classifier_scores_sum_to_one_and_survive_a_round_trip():
    classifier = Classifier.from_seed()
    result = classifier.classify("公司本月为员工办理社保增员，并调整了绩效考核和劳动合同管理制度。")
    assert result.category == "人力资源管理"
    assert set(result.scores) == set(DEFAULT_CATEGORIES)
    assert abs(sum(result.scores.values()) - 1) < 1e-6
    again = Classifier.loads(classifier.dumps())
    assert again.classify("增值税发票抵扣与现金流预算").category == "财务管理"
    assert json.loads(json.dumps(result.as_dict()))["category"] == "人力资源管理"


def test_classifier_needs_two_categories():
    with pytest.raises(ClassifierError, match="at least two categories"):
        Classifier.train([Example("文本", "行业信息")])


def test_keywords_are_content_words():
    found = keywords("企业所得税汇算清缴将于5月31日截止，企业所得税汇算清缴需要提前准备研发费用加计扣除资料。", 3)
    assert "汇算清缴" in found and "企业所得税" in found


def test_csv_with_bad_rows_gives_good_rows_and_a_problem_per_bad_row():
    results = list(read_path(FIXTURES / "articles_bad_rows.csv"))
    documents = [r for r in results if isinstance(r, Document)]
    problems = [r for r in results if isinstance(r, Problem)]
    assert [d.title for d in documents] == ["个税专项附加扣除调整解读", "融智服务升级"]
    assert [p.where.rsplit(":", 1)[1] for p in problems] == ["3", "4", "5"]
    assert "title or the text is empty" in problems[0].message
    assert "Cannot read the date not-a-date" in problems[1].message
    assert "more fields than the header" in problems[2].message


def test_missing_path_and_unknown_file_type_are_problems(tmp_path: Path):
    (tmp_path / "photo.bmp").write_bytes(b"BM")
    assert "No such file" in next(read_path(tmp_path / "nope")).message
    assert "Unsupported file type .bmp" in next(read_path(tmp_path / "photo.bmp")).message


needs_shared = pytest.mark.skipif(not SHARED_DATA.exists(), reason="shared real-world data not present")


@needs_shared
def test_every_real_feed_in_the_shared_manifest_parses_to_its_item_count():
    manifest = json.loads((SHARED_DATA / "feeds" / "feeds_manifest.json").read_text())
    for entry in manifest:
        documents = parse_feed((SHARED_DATA / "feeds" / entry["file"]).read_bytes()).documents
        assert len(documents) == entry["items_after_normalisation"], entry["file"]
        if entry.get("first_title") and documents and entry["root"] == "rss":
            assert "\ufffd" not in documents[0].title
