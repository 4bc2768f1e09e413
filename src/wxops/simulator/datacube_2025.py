"""The 2025 datacube replacements: ``getbizsummary``, ``getarticleread``, ``getarticleshare``
and ``getarticletotaldetail``, computed from the same activity as the older endpoints.

Their spans are not documented (UNCONFIRMED): 30 days for getbizsummary, 1 for the per-article
ones. Unlike the older endpoints, yesterday is answered before 08:00 with ``is_delay: true``
(the figures may still grow). ``zaikan_user`` and ``like_user`` are always 0: simulated
followers do not 在看 or like.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from .api import ApiCall, endpoint
from .clock import china_date
from .datacube import articles_by_key, published_until, requested_days

ARTICLE_DAYS = 30


def _range(call: ApiCall, span: int) -> tuple[list[dt.date], bool]:
    """The days asked for, including a not-yet-final yesterday, and whether one is included."""
    days = requested_days(call, span)
    yesterday = china_date(call.now) - dt.timedelta(days=1)
    end = dt.date.fromisoformat(call.body["end_date"])
    delayed = published_until(call.now) < yesterday <= end
    if delayed and (not days or days[-1] < yesterday):
        days.append(yesterday)
    return days, delayed


def _figures(rows: list[Any], comments: int = 0) -> dict[str, int]:
    readers = {r["openid"] for r in rows if r["kind"] == "read" and r["detail"] == 0}
    sharers = {r["openid"] for r in rows if r["kind"] == "share"}
    return {"read_user": len(readers),
            "read_count": sum(r["times"] for r in rows if r["kind"] == "read" and r["detail"] == 0),
            "share_user": len(sharers), "share_count": sum(r["times"] for r in rows if r["kind"] == "share"),
            "zaikan_user": 0, "like_user": 0, "comment_count": comments}


def _activity(call: ApiCall, first: dt.date, last: dt.date) -> list[Any]:
    return call.sim.state.all(
        "SELECT * FROM activity WHERE app_id = ? AND kind IN ('read', 'share', 'comment') AND day >= ? AND day <= ?",
        (call.app.app_id, first.isoformat(), last.isoformat()))


@endpoint("/datacube/getbizsummary")
def biz_summary(call: ApiCall) -> dict:
    days, delayed = _range(call, 30)
    grouped: dict[str, list[Any]] = defaultdict(list)
    for row in _activity(call, days[0], days[-1]) if days else []:
        grouped[row["day"]].append(row)
    result = []
    for day in days:
        rows = grouped.get(day.isoformat(), [])
        comments = sum(1 for r in rows if r["kind"] == "comment")
        figures = _figures([r for r in rows if r["kind"] != "comment"], comments)
        result.append({"ref_date": day.isoformat(), **{k: v for k, v in figures.items()
                                                      if k not in ("read_count", "share_count")}})
    return {"list": result, "is_delay": delayed}


def _per_article(call: ApiCall, kind: str) -> dict:
    days, delayed = _range(call, 1)
    titles = articles_by_key(call)
    grouped: dict[tuple[str, int, int], list[Any]] = defaultdict(list)
    for row in _activity(call, days[0], days[-1]) if days else []:
        if row["kind"] != "comment":
            grouped[(row["day"], row["msg_data_id"], row["idx"])].append(row)
    result = []
    for (day, msg_data_id, idx), rows in sorted(grouped.items()):
        figures = _figures(rows)
        if kind == "share" and not figures["share_user"]:
            continue
        article = titles.get((msg_data_id, idx))
        result.append({"ref_date": day, "msgid": f"{msg_data_id}_{idx + 1}",
                       "title": article["title"] if article else "", "detail": figures})
    return {"list": result, "is_delay": delayed}


@endpoint("/datacube/getarticleread")
def article_read(call: ApiCall) -> dict:
    return _per_article(call, "read")


@endpoint("/datacube/getarticleshare")
def article_share(call: ApiCall) -> dict:
    return _per_article(call, "share")


@endpoint("/datacube/getarticletotaldetail")
def article_total_detail(call: ApiCall) -> dict:
    days, delayed = _range(call, 1)
    if not days:
        return {"list": [], "is_delay": delayed}
    day = days[0]
    result = []
    for article in sorted(articles_by_key(call).values(), key=lambda a: (a["msg_data_id"], a["idx"])):
        if china_date(article["sent_at"]) != day:
            continue
        rows = call.sim.state.all(
            "SELECT * FROM activity WHERE app_id = ? AND msg_data_id = ? AND idx = ? AND kind IN ('read', 'share')",
            (call.app.app_id, article["msg_data_id"], article["idx"]))
        stop = min(day + dt.timedelta(days=ARTICLE_DAYS - 1), china_date(call.now) - dt.timedelta(days=1))
        details, stat = [], day
        while stat <= stop:
            details.append({"stat_date": stat.isoformat(),
                            **_figures([r for r in rows if r["day"] <= stat.isoformat()])})
            stat += dt.timedelta(days=1)
        result.append({"ref_date": day.isoformat(), "msgid": f"{article['msg_data_id']}_{article['idx'] + 1}",
                       "title": article["title"], "publish_type": 0 if article["source"] == "mass" else 1,
                       "detail_list": details})
    return {"list": result, "is_delay": delayed}
