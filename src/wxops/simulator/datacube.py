"""Statistics (``/datacube/...``) computed from what the simulated followers actually did.

Request ``{"begin_date": "YYYY-MM-DD", "end_date": "YYYY-MM-DD"}``: a bad date is 61500;
``end_date`` after yesterday, ``begin_date`` after ``end_date`` or before 2014-12-01, or a
span of ``max span`` days or more is 61501. A day's figures appear at 08:00 the next day
(China time); before that the day is left out. getarticlesummary leaves out articles with
fewer than 3 read users + original-page reads + sharers + shares + favourites, as WeChat
does; getarticletotal follows an article for 7 days after its send.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from .api import ApiCall, endpoint
from .clock import china_date, day_start
from .errors import WeChatError

FIRST_DAY = dt.date(2014, 12, 1)
PUBLISH_HOUR = 8
ALL_SOURCES = 99999999


def requested_days(call: ApiCall, span: int) -> list[dt.date]:
    """The days asked for, already published; raises 61500/61501 as WeChat does."""
    try:
        begin = dt.date.fromisoformat(call.field("begin_date", str))
        end = dt.date.fromisoformat(call.field("end_date", str))
    except ValueError as exc:
        raise WeChatError(61500, "date format error") from exc
    if begin > end or begin < FIRST_DAY or end >= china_date(call.now) or (end - begin).days >= span:
        raise WeChatError(61501)
    last = published_until(call.now)
    days = []
    day = begin
    while day <= min(end, last):
        days.append(day)
        day += dt.timedelta(days=1)
    return days


def published_until(now: float) -> dt.date:
    """The last day whose figures are out: yesterday after 08:00, the day before until then."""
    today = china_date(now)
    return today - dt.timedelta(days=1 if now >= day_start(today) + PUBLISH_HOUR * 3600 else 2)


def _rows(call: ApiCall, kinds: tuple[str, ...], days: list[dt.date]) -> list[Any]:
    if not days:
        return []
    marks = ",".join("?" * len(kinds))
    return call.sim.state.all(
        f"SELECT * FROM activity WHERE app_id = ? AND kind IN ({marks}) AND day >= ? AND day <= ?",  # noqa: S608
        (call.app.app_id, *kinds, days[0].isoformat(), days[-1].isoformat()))


def _reading(rows: list[Any]) -> dict[str, int]:
    """The standard read/share/favourite figures of a set of activity rows."""
    users: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        name = {"read": "ori_page_read" if row["detail"] == 1 else "int_page_read", "share": "share",
                "favorite": "add_to_fav"}[row["kind"]]
        users[name].add(row["openid"])
        counts[name] += row["times"]
    result = {}
    for name in ("int_page_read", "ori_page_read", "share", "add_to_fav"):
        result[f"{name}_user"] = len(users[name])
        result[f"{name}_count"] = counts[name]
    return result


def _by_day(rows: list[Any]) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row["day"]].append(row)
    return grouped


def _api(name: str, span: int) -> Callable[[Callable[[ApiCall, list[dt.date]], list]], Callable]:
    def register(compute: Callable[[ApiCall, list[dt.date]], list]) -> Callable:
        @endpoint(f"/datacube/{name}")
        def handler(call: ApiCall) -> dict:
            return {"list": compute(call, requested_days(call, span))}

        return handler

    return register


@_api("getusersummary", 7)
def user_summary(call: ApiCall, days: list[dt.date]) -> list:
    by_day = _by_day(_rows(call, ("subscribe", "unsubscribe"), days))
    result = []
    for day in days:
        new: dict[int, int] = defaultdict(int)
        cancel = 0
        for row in by_day.get(day.isoformat(), []):
            if row["kind"] == "subscribe":
                new[row["detail"]] += 1
            else:
                cancel += 1
        for source in sorted(set(new) | {0}):
            result.append({"ref_date": day.isoformat(), "user_source": source, "new_user": new.get(source, 0),
                           "cancel_user": cancel if source == 0 else 0})
    return result


@_api("getusercumulate", 7)
def user_cumulate(call: ApiCall, days: list[dt.date]) -> list:
    result = []
    for day in days:
        until = day_start(day + dt.timedelta(days=1))
        total = call.sim.state.scalar(
            "SELECT COALESCE(SUM(CASE kind WHEN 'subscribe' THEN 1 ELSE -1 END), 0) FROM activity "
            "WHERE app_id = ? AND kind IN ('subscribe', 'unsubscribe') AND at < ?", (call.app.app_id, until))
        result.append({"ref_date": day.isoformat(), "cumulate_user": total})
    return result


def articles_by_key(call: ApiCall) -> dict[tuple[int, int], Any]:
    return {(r["msg_data_id"], r["idx"]): r for r in call.sim.state.all(
        "SELECT * FROM articles WHERE app_id = ?", (call.app.app_id,))}


def _visible(figures: dict[str, int]) -> bool:
    return (figures["int_page_read_user"] + figures["ori_page_read_user"] + figures["share_user"]
            + figures["share_count"] + figures["add_to_fav_user"]) >= 3


@_api("getarticlesummary", 1)
def article_summary(call: ApiCall, days: list[dt.date]) -> list:
    articles = articles_by_key(call)
    per_article: dict[tuple[str, int, int], list[Any]] = defaultdict(list)
    for row in _rows(call, ("read", "share", "favorite"), days):
        per_article[(row["day"], row["msg_data_id"], row["idx"])].append(row)
    result = []
    for (day, msg_data_id, idx), rows in sorted(per_article.items()):
        figures = _reading(rows)
        if _visible(figures):
            article = articles.get((msg_data_id, idx))
            result.append({"ref_date": day, "msgid": f"{msg_data_id}_{idx + 1}",
                           "title": article["title"] if article else "", **figures})
    return result


@_api("getarticletotal", 1)
def article_total(call: ApiCall, days: list[dt.date]) -> list:
    if not days:
        return []
    day, last = days[0], published_until(call.now)
    sent = [a for a in articles_by_key(call).values() if a["source"] == "mass" and china_date(a["sent_at"]) == day]
    result = []
    for article in sorted(sent, key=lambda a: (a["msg_data_id"], a["idx"])):
        rows = call.sim.state.all("SELECT * FROM activity WHERE app_id = ? AND msg_data_id = ? AND idx = ? "
                                  "AND kind IN ('read', 'share', 'favorite')",
                                  (call.app.app_id, article["msg_data_id"], article["idx"]))
        details = []
        for offset in range(7):
            stat = day + dt.timedelta(days=offset)
            if stat > last:
                break
            upto = [r for r in rows if r["day"] <= stat.isoformat()]
            details.append({"stat_date": stat.isoformat(), "target_user": article["target_user"], **_reading(upto)})
        result.append({"ref_date": day.isoformat(), "msgid": f"{article['msg_data_id']}_{article['idx'] + 1}",
                       "title": article["title"], "details": details})
    return result


@_api("getuserread", 3)
def user_read(call: ApiCall, days: list[dt.date]) -> list:
    by_day = _by_day(_rows(call, ("read", "share", "favorite"), days))
    return [{"ref_date": d.isoformat(), "user_source": ALL_SOURCES, **_reading(by_day.get(d.isoformat(), []))}
            for d in days]


@_api("getusershare", 7)
def user_share(call: ApiCall, days: list[dt.date]) -> list:
    grouped: dict[tuple[str, int], list[Any]] = defaultdict(list)
    for row in _rows(call, ("share",), days):
        grouped[(row["day"], row["detail"])].append(row)
    return [{"ref_date": day, "share_scene": scene, "share_count": sum(r["times"] for r in rows),
             "share_user": len({r["openid"] for r in rows})} for (day, scene), rows in sorted(grouped.items())]


@_api("getupstreammsg", 7)
def upstream_messages(call: ApiCall, days: list[dt.date]) -> list:
    by_day = _by_day(_rows(call, ("message",), days))
    result = []
    for day in days:
        rows = by_day.get(day.isoformat(), [])
        if rows:
            result.append({"ref_date": day.isoformat(), "msg_type": 1, "msg_user": len({r["openid"] for r in rows}),
                           "msg_count": len(rows)})
    return result
