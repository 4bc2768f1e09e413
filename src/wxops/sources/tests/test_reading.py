"""Nothing silently lost, merged or mis-dated: fragments, mis-declared charsets, odd dates,
partial parses, WeChat articles, undated ranking. Pure: no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from wxops.sources.canonical_urls import canonical_of, canonical_url
from wxops.sources.charsets import decode, plausible
from wxops.sources.extraction import NotAnArticle
from wxops.sources.feeds import FeedError, parse_feed, tolerant_date
from wxops.sources.pipeline import Pool
from wxops.sources.ranking import rank
from wxops.sources.reading import read_page
from wxops.sources.tests.conftest import fixture_bytes
from wxops.sources.wechat_articles import is_wechat_article, parse_wechat_article


def test_entries_told_apart_only_by_their_fragment_stay_apart():
    documents = parse_feed(fixture_bytes("feed_fragments.xml")).documents
    assert len(documents) == 4 and all(d.fragment_identifies for d in documents)
    assert len({canonical_of(d) for d in documents}) == 4
    pool = Pool()
    outcomes = [pool.add(n, d, classify=False).status for n, d in enumerate(documents)]
    assert outcomes.count("duplicate") == 0


def test_a_fragment_that_identifies_nothing_is_still_dropped():
    assert canonical_url("https://example.com/a.html#comments") == "https://example.com/a.html"
    single = parse_feed(fixture_bytes("feed_gb2312_blank_line.xml")).documents
    assert not any(d.fragment_identifies for d in single)


def test_big5_bytes_declared_as_gb2312_are_read_as_big5_not_mojibake():
    data = fixture_bytes("feed_big5_declared_gb2312.xml")
    assert not plausible(data.decode("gb18030"))  # what the declaration alone would give
    decoded = decode(data)
    assert decoded.encoding == "cp950" and decoded.plausible
    titles = [d.title for d in parse_feed(data).documents]
    assert titles == ["會計師公會發布年度查核風險提示", "主管機關修正財務報告編製準則"]


def test_bytes_no_charset_can_read_are_refused_and_nothing_comes_back():
    # Random two-byte noise: decodes "without errors" in several legacy charsets, plausibly in none.
    import random

    rng = random.Random(3)
    noise = bytes(b for _ in range(400) for b in (rng.randrange(0x81, 0xFE), rng.randrange(0x40, 0x7E)))
    data = b'<?xml version="1.0" encoding="gb2312"?><rss version="2.0"><channel><title>x</title><item><title>' + \
        noise + b"</title><description>" + noise + b"</description></item></channel></rss>"
    with pytest.raises(FeedError, match="unreadable characters"):
        parse_feed(data)


def test_a_date_without_a_space_before_its_offset_is_read():
    documents = parse_feed(fixture_bytes("feed_odd_dates.xml")).documents
    assert documents[0].published == datetime(2005, 12, 27, 4, 8, 54, tzinfo=UTC)
    assert documents[1].published is None
    assert tolerant_date("2005-12-27 13:08:54+0900") == datetime(2005, 12, 27, 4, 8, 54, tzinfo=UTC)
    assert tolerant_date("not a date at all") is None


def test_an_undated_item_never_ranks_above_a_dated_one_of_the_same_day():
    now = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)  # 22:00 in Beijing
    earliest_today = datetime(2026, 11, 26, 16, 0, 1, tzinfo=UTC)  # 00:00:01 Beijing time, same day
    least_dated = rank(earliest_today, now, confidence=0.0, source_count=1)
    best_undated = rank(None, now, confidence=1.0, source_count=20, first_seen=now)
    assert best_undated < least_dated
    old_news = rank(datetime(2005, 12, 27, tzinfo=UTC), now, confidence=1.0, source_count=1)
    assert old_news < best_undated


def test_a_truncated_feed_comes_back_with_a_warning():
    feed = parse_feed(fixture_bytes("feed_truncated.xml"))
    assert len(feed.documents) >= 2
    [warning] = feed.warnings
    assert warning.warning and "read only in part" in warning.message


def test_a_wechat_article_gives_its_account_author_time_text_and_pictures():
    url = "https://mp.weixin.qq.com/s/AbCdEf123"
    assert is_wechat_article(url) and not is_wechat_article("https://mp.weixin.qq.com/mp/profile_ext")
    document = read_page(fixture_bytes("wechat_article.html"), url=url)
    assert document.title == "一文读懂新公司法下的注册资本认缴"
    assert (document.source_name, document.author) == ("融智法税研究院", "王律师")
    assert document.published == datetime.fromtimestamp(1732586400, tz=UTC)
    assert document.text.startswith("新公司法规定") and "五年内缴足" in document.text
    assert document.pictures == ("https://mmbiz.qpic.cn/mmbiz_jpg/abc123/0?wx_fmt=jpeg",
                                 "https://mmbiz.qpic.cn/mmbiz_png/def456/640?wx_fmt=png")
    assert document.reprint == "quoted" and "原创" in document.tags


def test_wechat_s_verification_page_is_said_in_words_not_stored():
    with pytest.raises(NotAnArticle, match="verification"):
        parse_wechat_article(fixture_bytes("wechat_verify.html"), url="https://mp.weixin.qq.com/s/x")


def test_pictures_of_a_feed_entry_are_kept_for_the_library():
    data = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>图</title><item>'
            '<title>有图的新闻</title><link>https://img.example.com/n/1</link>'
            '<description><![CDATA[<p>正文</p><img src="/p/1.jpg"><img src="data:image/png;base64,xx">]]></description>'
            '<enclosure url="https://img.example.com/p/cover.jpg" type="image/jpeg" length="1"/></item></channel></rss>')
    [document] = parse_feed(data.encode()).documents
    assert document.pictures == ("https://img.example.com/p/cover.jpg", "https://img.example.com/p/1.jpg")


def test_freshness_of_dated_items_is_unchanged():
    now = datetime(2026, 11, 27, tzinfo=UTC)
    assert rank(now - timedelta(hours=24), now, 1.0, 1) == pytest.approx(0.5)


def test_a_list_page_of_dripping_links_stops_at_the_poll_s_budget_and_says_so(server):
    from wxops.sources.candidates import Problem
    from wxops.sources.fetching import FetchPolicy
    from wxops.sources.reading import LIST_PAGE_BUDGET, Target, read_list_page

    links = [f"/a/{n}.html" for n in range(3 * LIST_PAGE_BUDGET)]
    server.route("/list", body="".join(f'<a href="{link}">{link}</a>' for link in links).encode(),
                 headers={"Content-Type": "text/html; charset=utf-8"})
    routes = [server.route(link, drip=0.1) for link in links]
    reading = read_list_page(Target("列表", server.url("/list")), FetchPolicy(allow=("127.0.0.1",), deadline=0.5))
    followed = sum(len(route.hits) for route in routes)
    # Each dripping page takes its whole deadline, so the budget of LIST_PAGE_BUDGET deadlines
    # (the list page's own fetch included) runs out long before the last link.
    assert followed <= LIST_PAGE_BUDGET
    *failures, warning = reading.documents
    assert len(failures) == followed and all(not f.warning and "deadline" in f.message for f in failures)
    assert isinstance(warning, Problem) and warning.warning
    assert warning.message.endswith(f"the other {len(links) - followed} wait for the next poll")


def _noise(seed: int = 3, pairs: int = 400) -> bytes:
    """Two-byte noise: decodes "without errors" in several legacy charsets, plausibly in none."""
    import random

    rng = random.Random(seed)
    return bytes(b for _ in range(pairs) for b in (rng.randrange(0x81, 0xFE), rng.randrange(0x40, 0x7E)))


def test_a_page_no_charset_can_read_is_refused_not_stored_as_mojibake():
    from wxops.sources.charsets import UnreadableText

    noise = _noise()
    page = (b'<html><head><meta charset="gb2312"><title>' + noise[:40] + b"</title></head><body><article><p>"
            + noise + b"</p><p>" + noise + b"</p></article></body></html>")
    with pytest.raises(UnreadableText, match="unreadable characters"):
        read_page(page, url="https://news.example.com/a.html")
    wechat = b'<html><body><div id="js_content"><p>' + noise + b"</p></div></body></html>"
    with pytest.raises(UnreadableText):
        read_page(wechat, url="https://mp.weixin.qq.com/s/AbCdEf")


def test_a_local_file_no_charset_can_read_is_a_problem_not_an_item(tmp_path):
    from wxops.sources.candidates import Problem
    from wxops.sources.files import read_path

    (tmp_path / "note.txt").write_bytes(b"title\n" + _noise())
    (tmp_path / "rows.csv").write_bytes(b"title,text\n" + _noise(4, 30) + b"," + _noise(5) + b"\n")
    found = list(read_path(tmp_path))
    assert len(found) == 2 and all(isinstance(f, Problem) and "unreadable characters" in f.message for f in found)


def test_entries_sharing_a_link_or_a_guid_are_all_kept_and_a_repeated_entry_once():
    documents = parse_feed(fixture_bytes("feed_shared_keys.xml")).documents
    pool = Pool()
    outcomes = [pool.add(n, d, classify=False).status for n, d in enumerate(documents)]
    assert outcomes.count("duplicate") == 1  # only the entry the feed repeats
    # The same feed again: every entry is known by a stable key, nothing comes in twice.
    again = [pool.add(100 + n, d, classify=False).status for n, d in enumerate(parse_feed(
        fixture_bytes("feed_shared_keys.xml")).documents)]
    assert again == ["duplicate"] * len(documents)


def test_dates_without_a_zone_or_in_cst_are_beijing_time():
    # Read as UTC (or CST as US Central), these were 8 and 14 hours late: evening news landed on the next day.
    published = [d.published for d in parse_feed(fixture_bytes("feed_local_dates.xml")).documents]
    assert published == [datetime(2005, 5, 28, 8, 5, 36, tzinfo=UTC), datetime(2005, 12, 27, 5, 8, 54, tzinfo=UTC),
                         datetime(2026, 11, 27, 2, 0, tzinfo=UTC), datetime(2005, 12, 27, 13, 8, 54, tzinfo=UTC)]


def test_a_real_chinese_feed_s_local_times_are_read_as_beijing_time():
    from wxops.sources.tests.conftest import SHARED_DATA

    path = SHARED_DATA / "feeds" / "feeds_gb2312_chardet" / "w3cn.org.xml"
    if not path.exists():
        pytest.skip("shared real-world data not present")
    first = parse_feed(path.read_bytes()).documents[0]  # <pubDate>2005-5-28 16:05:36</pubDate>
    assert first.published == datetime(2005, 5, 28, 8, 5, 36, tzinfo=UTC)
