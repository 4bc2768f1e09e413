"""One fetcher per part of the statistics: which datacube endpoints answer it, and how it is stored.

Each fetcher takes a client and a day range (already within the part's span) and returns
a :class:`Fetched`: the endpoint used, whether WeChat called the figures provisional
(``is_delay``), the days it left out, and ``store(account)`` — the idempotent upsert.
The 2025 endpoints come first; when WeChat refuses one (no permission, gone, broken) the
older endpoint stands in. Date-range and quota errors are never swallowed here: the sync
splits or stops on them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from wxops.analytics.models import ArticleDay, ArticleTotal, FollowerDay, ReadingDay
from wxops.wechat.errors import DateRangeError, RateLimited, WeChatError

ALL_SOURCES = 99999999  # getuserread's user_source for "every source together"


@dataclass(frozen=True)
class Fetched:
    api: str
    store: Callable[[Any], int]
    provisional: bool = False
    missing: frozenset[dt.date] = field(default_factory=frozenset)


def _days(begin: dt.date, end: dt.date) -> list[dt.date]:
    return [begin + dt.timedelta(days=n) for n in range((end - begin).days + 1)]


def _newer_or_older(newer: Callable[[], Any], older: Callable[[], Any]) -> tuple[Any, bool]:
    """``(answer, True)`` from the 2025 endpoint, or ``(answer, False)`` from the older one when it is refused."""
    try:
        return newer(), True
    except (DateRangeError, RateLimited):
        raise
    except WeChatError:
        return older(), False


def _optional(call: Callable[[], Any]) -> Any:
    """An extra endpoint whose figures are a bonus (favourites, followers reached): None when refused."""
    try:
        return call()
    except (DateRangeError, RateLimited):
        raise
    except WeChatError:
        return None


def _int(mapping: Mapping[str, Any], name: str) -> int:
    try:
        return max(0, int(mapping.get(name) or 0))
    except (TypeError, ValueError):
        return 0


def _split_msgid(msgid: str) -> tuple[int | None, int]:
    """``"2247483650_2"`` → (2247483650, 1): WeChat numbers a message's articles from 1."""
    head, _sep, tail = msgid.partition("_")
    try:
        return int(head), max(0, int(tail or 1) - 1)
    except ValueError:
        return None, 0


def followers(client, begin: dt.date, end: dt.date) -> Fetched:
    summary = client.datacube.user_summary(begin, end)
    cumulate = client.datacube.user_cumulate(begin, end)
    new: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    cancel: dict[str, int] = defaultdict(int)
    for row in summary.rows:
        new[row.ref_date][str(row.user_source)] += row.new_user
        cancel[row.ref_date] += row.cancel_user
    totals = {row.ref_date: row.cumulate_user for row in cumulate.rows}
    days = [d for d in _days(begin, end) if d.isoformat() in totals]

    def store(account) -> int:
        for day in days:
            key = day.isoformat()
            by_source = {k: v for k, v in new[key].items() if v}
            FollowerDay.objects.update_or_create(account=account, day=day, defaults={
                "new_user": sum(by_source.values()), "cancel_user": cancel[key], "cumulate_user": totals[key],
                "by_source": by_source})
        return len(days)

    return Fetched("getusersummary+getusercumulate", store, summary.is_delay or cumulate.is_delay,
                   frozenset(set(_days(begin, end)) - set(days)))


def reading(client, begin: dt.date, end: dt.date) -> Fetched:
    answer, newer = _newer_or_older(lambda: client.datacube.biz_summary(begin, end),
                                    lambda: client.datacube.user_read(begin, end))
    figures: dict[str, dict[str, int]] = {}
    for row in answer.rows:
        if newer:
            figures[row.ref_date] = {"read_user": row.read_user, "share_user": row.share_user,
                                     "comment_count": row.comment_count}
        elif row.user_source == ALL_SOURCES or row.ref_date not in figures:
            figures[row.ref_date] = {"read_user": row.int_page_read_user, "share_user": row.share_user,
                                     "comment_count": 0}
    days = [d for d in _days(begin, end) if d.isoformat() in figures]

    def store(account) -> int:
        for day in days:
            ReadingDay.objects.update_or_create(account=account, day=day, defaults={
                **figures[day.isoformat()], "provisional": answer.is_delay})
        return len(days)

    return Fetched("getbizsummary" if newer else "getuserread", store, answer.is_delay,
                   frozenset(set(_days(begin, end)) - set(days)))


def articles(client, day: dt.date, end: dt.date) -> Fetched:
    answer, newer = _newer_or_older(lambda: client.datacube.article_read(day, end),
                                    lambda: client.datacube.article_summary(day, end))
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for row in answer.rows:
        if newer:
            detail = row.raw.get("detail") if isinstance(row.raw.get("detail"), Mapping) else row.raw
            rows[(row.ref_date, row.msgid)] = {
                "title": str(row.raw.get("title") or "")[:128], "read_user": row.read_user,
                "read_count": _int(detail, "read_count"), "share_user": row.share_user,
                "share_count": _int(detail, "share_count"), "favorite_user": _int(detail, "add_to_fav_user")}
        else:
            rows[(row.ref_date, row.msgid)] = _older_article(row)
    if newer:  # favourites are only in the older endpoint
        older = _optional(lambda: client.datacube.article_summary(day, end))
        for row in older.rows if older else ():
            known = rows.setdefault((row.ref_date, row.msgid), _older_article(row))
            known["favorite_user"] = row.add_to_fav_user
            known["title"] = known["title"] or row.title[:128]

    def store(account) -> int:
        ArticleDay.objects.filter(account=account, day__gte=day, day__lte=end).delete()
        objects = []
        for (ref_date, msgid), values in rows.items():
            msg_data_id, index = _split_msgid(msgid)
            objects.append(ArticleDay(account=account, day=dt.date.fromisoformat(ref_date), msgid=msgid,
                                      msg_data_id=msg_data_id, index=index, **values))
        ArticleDay.objects.bulk_create(objects)
        return len(_days(day, end))

    return Fetched("getarticleread" if newer else "getarticlesummary", store, answer.is_delay)


def _older_article(row) -> dict[str, Any]:
    return {"title": row.title[:128], "read_user": row.int_page_read_user, "read_count": row.int_page_read_count,
            "share_user": row.share_user, "share_count": row.share_count, "favorite_user": row.add_to_fav_user}


def totals(client, day: dt.date, end: dt.date) -> Fetched:
    answer, newer = _newer_or_older(lambda: client.datacube.article_total_detail(day, end),
                                    lambda: client.datacube.article_total(day, end))
    found: dict[str, dict[str, Any]] = {}
    for row in answer.rows:
        if newer:
            details = [d for d in row.raw.get("detail_list") or () if isinstance(d, Mapping)]
            last = details[-1] if details else {}
            found[row.msgid] = {
                "title": str(row.raw.get("title") or "")[:128], "sent_on": row.ref_date,
                "notified": _int(row.raw, "publish_type") == 0, "stat_date": last.get("stat_date") or row.ref_date,
                "read_user": _int(last, "read_user"), "read_count": _int(last, "read_count"),
                "share_user": _int(last, "share_user"), "share_count": _int(last, "share_count")}
        else:
            found[row.msgid] = _older_total(row)
    if newer:  # followers reached and favourites are only in the older endpoint
        older = _optional(lambda: client.datacube.article_total(day, end))
        for row in older.rows if older else ():
            known = found.setdefault(row.msgid, _older_total(row))
            detail = row.details[-1] if row.details else None
            if detail is not None:
                known["target_user"] = detail.target_user
                known["favorite_user"] = detail.add_to_fav_user

    def store(account) -> int:
        for msgid, values in found.items():
            msg_data_id, index = _split_msgid(msgid)
            ArticleTotal.objects.update_or_create(account=account, msgid=msgid, defaults={
                **values, "msg_data_id": msg_data_id, "index": index})
        return len(_days(day, end))

    return Fetched("getarticletotaldetail" if newer else "getarticletotal", store, answer.is_delay)


def _older_total(row) -> dict[str, Any]:
    detail = row.details[-1] if row.details else None
    values: dict[str, Any] = {"title": row.title[:128], "sent_on": row.ref_date, "notified": True,
                              "stat_date": detail.stat_date if detail else row.ref_date}
    if detail is not None:
        values.update(target_user=detail.target_user, read_user=detail.int_page_read_user,
                      read_count=detail.int_page_read_count, share_user=detail.share_user,
                      share_count=detail.share_count, favorite_user=detail.add_to_fav_user)
    return values
