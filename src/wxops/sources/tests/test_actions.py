"""Polling, the candidate pool, submissions, editors' choices and turning a story into an article."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from wxops.core import clock
from wxops.sources import actions, reading, synthetic
from wxops.sources.models import (
    ClassifierModel,
    EditorChoice,
    FetchAttempt,
    Item,
    Source,
    SourceKind,
    SourceStatus,
    Story,
)
from wxops.sources.tasks import dispatch_due_sources
from wxops.sources.tests.conftest import FIXTURES, feed_source, fixture_bytes, make_editor

pytestmark = pytest.mark.django_db


def test_polling_a_gb2312_feed_stores_classified_ranked_items(account, server):
    server.route("/feed.xml", body=fixture_bytes("feed_gb2312_blank_line.xml"),
                 headers={"Content-Type": "application/rss+xml", "ETag": '"a"'})
    source = feed_source(account, server)
    summary = actions.poll_source(source)
    assert (summary.new, summary.duplicate, summary.failed) == (2, 0, 0)
    items = {item.title: item for item in Item.objects.all()}
    tax = items["税务总局：小规模纳税人增值税优惠延续"]
    assert tax.url == server.url("/tax/2026/1126.html")
    assert tax.category.name in {"行业信息", "财务管理"}
    assert 0 < tax.confidence <= 1 and tax.keywords and tax.rank > 0
    assert items["人社部：灵活用工人员职业伤害保障扩大试点"].published_at is None
    source.refresh_from_db()
    assert source.etag == '"a"' and source.consecutive_failures == 0
    assert source.next_poll_at == source.last_polled_at + timedelta(minutes=60)


def test_second_poll_uses_etag_and_stores_nothing(account, server):
    route = server.route("/feed.xml", body=fixture_bytes("feed_gb2312_blank_line.xml"), headers={"ETag": '"a"'})
    source = feed_source(account, server)
    actions.poll_source(source)
    summary = actions.poll_source(source)
    assert (summary.new, summary.duplicate) == (0, 0)
    assert route.hits[1]["If-None-Match"] == '"a"'
    assert FetchAttempt.objects.filter(source=source, not_modified=True).count() == 1
    assert Item.objects.count() == 2


def test_the_same_items_again_are_duplicates_not_new(account, server):
    server.route("/feed.xml", body=fixture_bytes("feed_gb2312_blank_line.xml"))
    source = feed_source(account, server)
    actions.poll_source(source)
    summary = actions.poll_source(source)
    assert (summary.new, summary.duplicate) == (0, 2)
    assert Item.objects.count() == 2 and Story.objects.count() == 2


def test_reprints_join_one_story_that_lists_all_sources(account):
    rng = random.Random(11)
    original = synthetic.article(rng, 1)
    copies = [synthetic.reprint(rng, original, n) for n in range(3)]
    summary = actions.ingest(account, [original, *copies])
    assert (summary.new, summary.near_duplicate) == (1, 3)
    story = Story.objects.get()
    assert story.items.count() == 4
    assert story.source_count == len({original.source_name, *(c.source_name for c in copies)})


def test_a_failing_source_backs_off_then_pauses_with_the_error_in_words(account, server):
    broken = feed_source(account, server, "/gone.xml", interval_minutes=10)
    server.route("/ok.xml", body=fixture_bytes("feed_gb2312_blank_line.xml"))
    healthy = feed_source(account, server, "/ok.xml")
    for attempt in range(1, actions.PAUSE_AFTER_FAILURES + 1):
        actions.poll_source(broken)
        broken.refresh_from_db()
        assert broken.consecutive_failures == attempt
        assert broken.next_poll_at - broken.last_polled_at == min(timedelta(minutes=10) * 2 ** (attempt - 1),
                                                                   actions.MAX_BACKOFF)
    assert broken.status == SourceStatus.PAUSED
    assert "HTTP 404" in broken.last_error and "连续失败 5 次" in broken.paused_reason
    assert actions.poll_source(healthy).new == 2
    assert list(actions.due_sources(clock.now() + timedelta(days=3))) == [healthy]
    actions.set_source_status(broken, SourceStatus.ACTIVE)
    assert broken.consecutive_failures == 0


def test_malformed_feed_and_non_article_page_are_stored_errors(account, server):
    server.route("/bad.xml", body=fixture_bytes("feed_malformed.xml"))
    server.route("/home.html", body=fixture_bytes("homepage.html"), headers={"Content-Type": "text/html"})
    bad = feed_source(account, server, "/bad.xml")
    page = Source.objects.create(account=account, name="首页", kind=SourceKind.PAGE, location=server.url("/home.html"))
    actions.poll_source(bad)
    actions.poll_source(page)
    bad.refresh_from_db()
    page.refresh_from_db()
    assert "不是可读的 RSS/Atom 订阅源" in bad.last_error
    assert "页面没有正文" in page.last_error
    assert Item.objects.count() == 0


def test_list_page_follows_same_site_article_links(account, server):
    server.route("/list", body=b'<html><body><a href="/a/1.html">1</a><a href="/a/2.html">2</a>'
                               b'<a href="https://elsewhere.example/x">x</a></body></html>',
                 headers={"Content-Type": "text/html; charset=utf-8"})
    server.route("/a/1.html", body=fixture_bytes("article_gbk.html"), headers={"Content-Type": "text/html"})
    server.route("/a/2.html", body=fixture_bytes("homepage.html"), headers={"Content-Type": "text/html"})
    source = Source.objects.create(account=account, name="列表", kind=SourceKind.LIST_PAGE, location=server.url("/list"))
    summary = actions.poll_source(source)
    assert (summary.new, summary.failed) == (1, 0)
    item = Item.objects.get()
    assert (item.title, item.author, item.url) == ("企业如何应对社保新规", "李明远", server.url("/a/1.html"))


def test_csv_import_keeps_good_rows_and_reports_bad_ones(account):
    summary = actions.ingest_path(account, FIXTURES / "articles_bad_rows.csv")
    assert (summary.new + summary.near_duplicate, summary.failed) == (2, 3)
    assert sorted(Item.objects.values_list("title", flat=True)) == ["个税专项附加扣除调整解读", "融智服务升级"]


def test_dispatcher_enqueues_only_due_active_sources(account, server):
    due = feed_source(account, server, "/a.xml")
    later = feed_source(account, server, "/b.xml")
    later.next_poll_at = clock.now() + timedelta(hours=1)
    later.save()
    paused = feed_source(account, server, "/c.xml")
    actions.set_source_status(paused, SourceStatus.PAUSED, "manual")
    queued = []
    assert dispatch_due_sources(enqueue=queued.append) == [due.pk]
    assert queued == [due.pk]
    assert dispatch_due_sources(enqueue=queued.append) == []  # claimed: not enqueued twice while queued


def test_an_unexpected_crash_in_one_source_is_stored_and_the_next_source_still_runs(account, server, monkeypatch,
                                                                                    settings, tmp_path):
    settings.WXOPS_IMPORT_FOLDERS = (str(tmp_path),)
    server.route("/ok.xml", body=fixture_bytes("feed_gb2312_blank_line.xml"))
    crashing = Source.objects.create(account=account, name="崩溃", kind=SourceKind.FILE, location=str(tmp_path))
    healthy = feed_source(account, server, "/ok.xml")

    def explode(path, within=None):
        raise RuntimeError("parser crashed")

    monkeypatch.setattr(reading, "read_path", explode)
    assert actions.poll_source(crashing).failed == 1
    crashing.refresh_from_db()
    assert "RuntimeError: parser crashed" in crashing.last_error and crashing.consecutive_failures == 1
    assert actions.poll_source(healthy).new == 2


def test_submission_is_pooled_with_its_author_and_findings(account, editor):
    result = actions.submit(editor, account, title="融智大讲堂本周六开讲",
                            text="本周六下午，融智大讲堂将在公司总部举办新公司法下的股权设计专题沙龙，欢迎客户报名。")
    assert not result.blocked
    item = result.item
    assert item.submitted_by == editor and item.author == "editor"
    assert item.source.kind == SourceKind.SUBMISSION
    assert item.category.name == "公司融智综合服务体系"


def test_submission_breaking_the_content_rules_is_blocked_and_not_pooled(account, editor):
    result = actions.submit(editor, account, title="理财产品推荐",
                            text="本公司理财产品保证收益，年化回报稳定，欢迎各位同事推荐给客户。")
    assert result.blocked and result.item is None
    assert {f.text for f in result.findings} >= {"保证收益"}
    assert Item.objects.count() == 0


def test_submission_with_review_findings_is_pooled_with_them(account, editor):
    result = actions.submit(editor, account, title="客户服务升级",
                            text="我们的融智顾问服务是全国第一的企业服务品牌，欢迎客户预约免费咨询。")
    assert not result.blocked
    texts = {f["text"] for f in result.item.findings}
    assert "全国第一" in texts  # the compliance rules grow; this one is an ad-law "review" finding
    assert all(f["severity"] != "block" for f in result.item.findings)


def test_submission_without_text_is_refused_and_stores_nothing(account, editor):
    with pytest.raises(ValidationError) as caught:
        actions.submit(editor, account, title="", text="太短")
    assert set(caught.value.message_dict) == {"title", "text"}
    assert Item.objects.count() == 0


def test_turn_into_article_fills_text_source_and_original_link(account, editor):
    editor = make_editor(editor)
    rng = random.Random(5)
    original = synthetic.article(rng, 1)
    actions.ingest(account, [original])
    story = Story.objects.get()
    article = actions.turn_into_article(story, editor)
    assert article.title == original.title[:64]
    assert article.source_url == original.url and article.source_name == "示例资讯"
    assert "来源：示例资讯" in article.body
    assert article.live is False and article.latest_revision is not None
    story.refresh_from_db()
    assert story.status == "used" and story.article == article
    with pytest.raises(ValidationError, match="已被采用"):
        actions.turn_into_article(story, editor)


def test_editor_choices_retrain_the_classifier(account, editor):
    editor = make_editor(editor)
    actions.ingest(account, [synthetic.article(random.Random(2), 1)])
    item = Item.objects.get()
    finance = account.categories.get(name="财务管理")
    actions.choose_category(item, finance, editor)
    assert EditorChoice.objects.count() == 1
    model = actions.retrain_classifier(account)
    assert model.choice_count == 1 and model.example_count == 201
    assert ClassifierModel.objects.count() == 1
    assert actions.classifier_for(account).classify(item.text).category == "财务管理"
