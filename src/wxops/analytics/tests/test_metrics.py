"""Metrics: WeChat's figures joined to pushes, articles and categories; gaps said in words."""

from __future__ import annotations

import datetime as dt

from wxops.analytics import actions
from wxops.analytics.metrics import period_metrics
from wxops.analytics.models import ArticleTotal, SyncedDay, SyncPart, SyncStatus
from wxops.interaction.models import InboundKind, InboundMessage

from .conftest import day


def two_pushes_synced(world):
    """Monday: an HR push (read rate 0.3); Wednesday: a finance one (0.08); synced on Saturday."""
    hr = world.push(("社保基数调整指南", "人力资源管理"), ("公司新闻", "企业管理"))
    world.advance(days=2)
    finance = world.push(("发票新规解读", "财务管理"))
    world.advance(days=3)
    actions.sync_statistics(world.account, day("2026-03-01"), day("2026-03-06"))
    return hr, finance


def test_figures_per_article_push_and_category_match_wechat(world):
    hr, finance = two_pushes_synced(world)
    figures = period_metrics(world.account, day("2026-03-02"), day("2026-03-08"))

    totals = {t.title: t for t in ArticleTotal.objects.filter(account=world.account)}
    lines = {a.title: a for a in figures.articles}
    assert set(lines) == {"社保基数调整指南", "公司新闻", "发票新规解读"}
    for title, line in lines.items():
        assert (line.delivered, line.read_user, line.share_user, line.favorite_user) == (
            totals[title].target_user, totals[title].read_user, totals[title].share_user, totals[title].favorite_user)
        assert line.has_data
    assert lines["社保基数调整指南"].push_id == hr.pk and lines["社保基数调整指南"].category == "人力资源管理"
    assert lines["发票新规解读"].push_id == finance.pk

    pushes = {p.push_id: p for p in figures.pushes}
    assert pushes[hr.pk].read_user == lines["社保基数调整指南"].read_user + lines["公司新闻"].read_user
    assert pushes[hr.pk].categories == "人力资源管理、企业管理"
    assert pushes[hr.pk].new_followers > 0

    categories = [c.category for c in figures.categories]
    assert categories[0] == "人力资源管理"  # read rate 0.3 in the audience profile
    hr_line = figures.categories[0]
    assert hr_line.read_rate == lines["社保基数调整指南"].read_user / lines["社保基数调整指南"].delivered
    assert hr_line.lift > 1.5
    assert hr_line.read_count == lines["社保基数调整指南"].read_count >= hr_line.read_user
    assert pushes[hr.pk].read_count == lines["社保基数调整指南"].read_count + lines["公司新闻"].read_count
    # what followed the pushes carrying the category: both of the HR push's categories count it
    assert hr_line.new_followers == pushes[hr.pk].new_followers > 0
    assert {c.category: c.new_followers for c in figures.categories}["企业管理"] == pushes[hr.pk].new_followers
    assert hr_line.feedback == pushes[hr.pk].feedback is not None
    assert figures.followers_end is not None and figures.new_followers > 0
    # the days after Friday are not published yet on Saturday morning: said, not hidden
    assert any("尚未发布" in gap for gap in figures.gaps)


def test_a_push_without_figures_yet_and_an_empty_fortnight_are_said_in_words(world):
    world.push(("社保新规", "人力资源管理"))
    figures = period_metrics(world.account, day("2026-03-02"), day("2026-03-15"))
    assert figures.articles[0].has_data is False
    assert any("3月2日 的推送尚无阅读数据" in gap for gap in figures.gaps)  # the desk's style, not 03月02日
    empty = period_metrics(world.account, day("2026-01-05"), day("2026-01-18"))
    assert empty.pushes == [] and empty.categories == []
    assert any("本期没有推送" in gap for gap in empty.gaps)
    assert any("尚未同步" in gap for gap in empty.gaps)


def test_a_day_missing_from_the_statistics_is_named_until_the_next_sync_fills_it(world):
    world.advance(days=4)
    world.sim.fault(target="/datacube/getusercumulate", mode="errcode", errcode=-1, count=3)
    actions.sync_statistics(world.account, day("2026-03-01"), day("2026-03-05"), client=None)
    assert SyncedDay.objects.filter(part=SyncPart.FOLLOWERS, status=SyncStatus.FAILED).exists()
    figures = period_metrics(world.account, day("2026-03-01"), day("2026-03-05"))
    assert any("数据缺失" in gap and "下次同步时补齐" in gap for gap in figures.gaps)
    actions.sync_statistics(world.account, day("2026-03-01"), day("2026-03-05"))
    figures = period_metrics(world.account, day("2026-03-01"), day("2026-03-05"))
    assert not any("数据缺失" in gap for gap in figures.gaps)
    assert all(d.cumulate_user is not None for d in figures.days)


def test_messages_are_counted_per_day_and_the_most_asked_listed(world):
    zone = dt.timezone(dt.timedelta(hours=8))
    for n, text in enumerate(["社保基数什么时候调整？"] * 3 + ["发票怎么开？"]):
        InboundMessage.objects.create(account=world.account, kind=InboundKind.TEXT, dedupe_key=f"msg:{n}",
                                      content=text, xml="<xml/>",
                                      received_at=dt.datetime(2026, 3, 3, 23, 30, tzinfo=zone))
    figures = period_metrics(world.account, day("2026-03-02"), day("2026-03-04"))
    assert figures.messages == 4
    assert [d.messages for d in figures.days] == [0, 4, 0]  # 23:30 in Shanghai is still the 3rd
    assert [(q.text, q.count) for q in figures.questions] == [("社保基数什么时候调整？", 3), ("发票怎么开？", 1)]


def test_what_followers_asked_comes_grouped_from_the_qa_compilation_with_replies(world):
    zone = dt.timezone(dt.timedelta(hours=8))
    texts = [("请问社保基数什么时候调整？", "每年7月调整"), ("请问社保基数什么时候调整？", ""), ("社保基数什么时候调整", ""),
             ("发票怎么开？", "")] + [("谢谢分享", "")] * 5
    for n, (text, reply) in enumerate(texts):
        InboundMessage.objects.create(account=world.account, kind=InboundKind.TEXT, dedupe_key=f"qa:{n}", content=text,
                                      xml="<xml/>", received_at=dt.datetime(2026, 3, 3, 9, n, tzinfo=zone),
                                      status="answered" if reply else "new", reply=reply)
    figures = period_metrics(world.account, day("2026-03-02"), day("2026-03-04"))
    first, second = figures.questions
    assert (first.count, first.reply) == (3, "每年7月调整") and "社保基数什么时候调整" in first.text
    assert (second.text, second.count) == ("发票怎么开？", 1)  # asked once: listed after the groups
    assert figures.messages == 9  # thanks are messages, not questions


def test_a_question_of_punctuation_alone_is_listed_as_one_question_mark(world):
    """The list wrote its own ？ after core_text(t) or t: a bare ？？ was listed as ？？？."""
    zone = dt.timezone(dt.timedelta(hours=8))
    for n in range(2):
        InboundMessage.objects.create(account=world.account, kind=InboundKind.TEXT, dedupe_key=f"bare:{n}",
                                      content="？？", xml="<xml/>",
                                      received_at=dt.datetime(2026, 3, 3, 9, n, tzinfo=zone))
    figures = period_metrics(world.account, day("2026-03-02"), day("2026-03-04"))
    assert [(q.text, q.count) for q in figures.questions] == [("？", 2)]
