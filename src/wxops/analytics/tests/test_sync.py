"""The statistics sync against the simulator over real HTTP: what WeChat says is what is stored."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from wxops.analytics import actions
from wxops.analytics.datacube_sync import ready_until
from wxops.analytics.models import (
    ArticleDay,
    ArticleTotal,
    FollowerDay,
    ReadingDay,
    SyncedDay,
    SyncPart,
    SyncStatus,
)

from .conftest import day


def datacube(world, name: str, begin: str, end: str | None = None) -> list:
    return world.api.post(f"/datacube/{name}", {"begin_date": begin, "end_date": end or begin})["list"]


def statuses(world, part: str) -> dict[str, str]:
    return {row.day.isoformat(): row.status for row in SyncedDay.objects.filter(account=world.account, part=part)}


def test_ready_until_honours_the_08_00_delay(world):
    shanghai = dt.timezone(dt.timedelta(hours=8))
    assert ready_until(world.account, dt.datetime(2026, 3, 5, 7, 59, tzinfo=shanghai)) == day("2026-03-03")
    assert ready_until(world.account, dt.datetime(2026, 3, 5, 8, 0, tzinfo=shanghai)) == day("2026-03-04")


def test_a_sync_stores_what_the_simulator_reports(world):
    sent = world.send("社保基数调整指南")
    world.advance(days=3)  # Thursday 09:00: Monday to Wednesday are published
    outcome = actions.sync_statistics(world.account, day("2026-03-01"), day("2026-03-10"))
    assert (outcome.start, outcome.end, outcome.failed, outcome.stopped) == (day("2026-03-01"), day("2026-03-04"), [], "")

    summary = datacube(world, "getusersummary", "2026-03-01", "2026-03-04")
    cumulate = {r["ref_date"]: r["cumulate_user"] for r in datacube(world, "getusercumulate", "2026-03-01", "2026-03-04")}
    stored = {f.day.isoformat(): f for f in FollowerDay.objects.filter(account=world.account)}
    assert sorted(stored) == ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"]
    for ref_date, row in stored.items():
        assert row.new_user == sum(r["new_user"] for r in summary if r["ref_date"] == ref_date)
        assert row.cancel_user == sum(r["cancel_user"] for r in summary if r["ref_date"] == ref_date)
        assert row.cumulate_user == cumulate[ref_date]
    assert stored["2026-03-03"].new_user > 0

    biz = {r["ref_date"]: r for r in datacube(world, "getbizsummary", "2026-03-01", "2026-03-04")}
    for reading in ReadingDay.objects.filter(account=world.account):
        assert (reading.read_user, reading.share_user) == (biz[reading.day.isoformat()]["read_user"],
                                                           biz[reading.day.isoformat()]["share_user"])

    msgid = f"{sent['msg_data_id']}_1"
    first_day = ArticleDay.objects.get(account=world.account, day=day("2026-03-02"), msgid=msgid)
    read = datacube(world, "getarticleread", "2026-03-02")[0]
    summary_row = datacube(world, "getarticlesummary", "2026-03-02")[0]
    assert (first_day.msg_data_id, first_day.index, first_day.read_user, first_day.share_user) == (
        sent["msg_data_id"], 0, read["detail"]["read_user"], read["detail"]["share_user"])
    assert first_day.favorite_user == summary_row["add_to_fav_user"]
    assert first_day.title == "社保基数调整指南"

    total = ArticleTotal.objects.get(account=world.account, msgid=msgid)
    old_total = datacube(world, "getarticletotal", "2026-03-02")[0]["details"][-1]
    assert (total.sent_on, total.target_user, total.stat_date) == (day("2026-03-02"), 400, day("2026-03-04"))
    assert total.read_user == old_total["int_page_read_user"] > 60  # HR: read rate 0.3 of 400
    assert total.favorite_user == old_total["add_to_fav_user"]

    assert statuses(world, SyncPart.FOLLOWERS) == dict.fromkeys(stored, SyncStatus.DONE)
    # an article's totals still grow for a week after the send: fetched again by the next syncs
    assert statuses(world, SyncPart.TOTALS)["2026-03-02"] == SyncStatus.PROVISIONAL
    assert SyncedDay.objects.get(account=world.account, part=SyncPart.ARTICLES, day=day("2026-03-02")).api == (
        "getarticleread")


def test_a_second_sync_stores_nothing_twice_and_skips_done_days(world):
    world.send("年假怎么计算")
    world.advance(days=2)
    actions.sync_statistics(world.account, day("2026-03-01"), day("2026-03-03"))
    counts = (FollowerDay.objects.count(), ArticleDay.objects.count(), ArticleTotal.objects.count())
    attempts = dict(SyncedDay.objects.values_list("pk", "attempts"))
    actions.sync_statistics(world.account, day("2026-03-01"), day("2026-03-03"))
    assert (FollowerDay.objects.count(), ArticleDay.objects.count(), ArticleTotal.objects.count()) == counts
    again = dict(SyncedDay.objects.values_list("pk", "attempts"))
    refetched = {SyncedDay.objects.get(pk=pk).part for pk in again if again[pk] != attempts[pk]}
    assert refetched == {SyncPart.TOTALS}  # only the provisional totals; done days are not asked again
    actions.sync_statistics(world.account, day("2026-03-01"), day("2026-03-03"), force=True)
    assert (FollowerDay.objects.count(), ArticleDay.objects.count(), ArticleTotal.objects.count()) == counts


def test_before_08_00_yesterday_is_left_for_the_next_sync(world):
    world.send("社保新规解读")
    world.advance(days=1, seconds=-3600 * 2)  # Tuesday 07:00
    outcome = actions.sync_statistics(world.account, day("2026-03-01"), day("2026-03-02"))
    assert outcome.end == day("2026-03-01")
    assert not FollowerDay.objects.filter(day=day("2026-03-02")).exists()
    world.advance(seconds=3600 * 2)  # 09:00
    outcome = actions.sync_statistics(world.account, day("2026-03-01"), day("2026-03-02"))
    assert outcome.end == day("2026-03-02")
    assert FollowerDay.objects.filter(day=day("2026-03-02")).exists()
    assert ArticleDay.objects.filter(day=day("2026-03-02")).count() == 1


def test_a_span_error_is_split_and_a_refused_day_is_filled_by_the_next_sync(world):
    world.advance(days=5)
    world.sim.fault(target="/datacube/getusersummary", mode="errcode", errcode=61501, count=2)
    world.sim.fault(target="/datacube/getarticleread", mode="errcode", errcode=61501, count=1)
    outcome = actions.sync_statistics(world.account, day("2026-02-28"), day("2026-03-06"))
    # the 7-day followers range was halved twice and then taken; one article day was refused outright
    assert FollowerDay.objects.filter(account=world.account).count() == 7
    assert statuses(world, SyncPart.FOLLOWERS) == {
        (day("2026-02-28") + dt.timedelta(days=n)).isoformat(): SyncStatus.DONE for n in range(7)}
    assert statuses(world, SyncPart.ARTICLES)["2026-02-28"] == SyncStatus.FAILED
    assert len(outcome.failed) == 1 and "61501" in outcome.failed[0]
    refused = SyncedDay.objects.get(account=world.account, part=SyncPart.ARTICLES, day=day("2026-02-28"))
    assert "61501" in refused.last_error
    outcome = actions.sync_statistics(world.account)  # the periodic sync's window covers the day
    assert outcome.failed == []
    assert statuses(world, SyncPart.ARTICLES)["2026-02-28"] == SyncStatus.DONE


def test_a_quota_error_stops_the_sync_and_the_next_one_goes_on(world):
    world.advance(days=3)
    world.sim.fault(target="/datacube/getbizsummary", mode="errcode", errcode=45009, count=1)
    outcome = actions.sync_statistics(world.account, day("2026-03-01"), day("2026-03-04"))
    assert "quota" in outcome.stopped or "配额" in outcome.stopped
    assert not SyncedDay.objects.filter(part__in=[SyncPart.ARTICLES, SyncPart.TOTALS]).exists()
    assert ReadingDay.objects.count() == 0
    outcome = actions.sync_statistics(world.account, day("2026-03-01"), day("2026-03-04"))
    assert outcome.stopped == "" and ReadingDay.objects.count() == 4


def test_the_older_endpoints_stand_in_when_the_2025_ones_are_refused(world):
    sent = world.send("发票新规")
    world.advance(days=2)
    for path in ("getarticleread", "getbizsummary", "getarticletotaldetail"):
        world.sim.fault(target=f"/datacube/{path}", mode="errcode", errcode=48001, count=-1)
    outcome = actions.sync_statistics(world.account, day("2026-03-02"), day("2026-03-03"))
    assert outcome.failed == []
    apis = {row.part: row.api for row in SyncedDay.objects.filter(day=day("2026-03-02"))}
    assert apis == {SyncPart.FOLLOWERS: "getusersummary+getusercumulate", SyncPart.READING: "getuserread",
                    SyncPart.ARTICLES: "getarticlesummary", SyncPart.TOTALS: "getarticletotal"}
    old = datacube(world, "getarticletotal", "2026-03-02")[0]["details"][-1]
    total = ArticleTotal.objects.get(msgid=f"{sent['msg_data_id']}_1")
    assert (total.read_user, total.target_user) == (old["int_page_read_user"], 400)


def test_the_command_backfills_and_says_what_it_did(world, capsys):
    world.advance(days=3)
    call_command("analytics", "sync", "--from", "2026-02-20", "--to", "2026-03-04", "--account", world.account.name)
    out = capsys.readouterr().out
    assert "2026年2月20日–2026年3月4日" in out  # the desk's one date style, not ISO
    assert FollowerDay.objects.filter(account=world.account).count() == 13
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("analytics", "sync", "--from", "1.3.2026")
    with pytest.raises(CommandError, match="No account"):
        call_command("analytics", "sync", "--account", "nobody")


def test_an_unreachable_wechat_stops_the_sync_at_once_and_the_next_one_goes_on(world):
    """Each range would otherwise wait through the client's retries: a worker stopped with Ctrl-C
    during such a sync waited minutes for it."""
    import socket

    world.advance(days=3)
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    base, world.account.api_base = world.account.api_base, dead
    world.account.save(update_fields=["api_base"])
    outcome = actions.sync_statistics(world.account, day("2026-03-01"), day("2026-03-04"))
    assert "could not be reached" in outcome.stopped or "无法连接" in outcome.stopped
    assert len(outcome.failed) == 1 and ReadingDay.objects.count() == 0  # the first range only, then stopped
    world.account.api_base = base
    world.account.save(update_fields=["api_base"])
    outcome = actions.sync_statistics(world.account, day("2026-03-01"), day("2026-03-04"))
    assert outcome.stopped == "" and ReadingDay.objects.count() == 4
