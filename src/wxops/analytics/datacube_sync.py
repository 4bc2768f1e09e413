"""The daily statistics sync: WeChat's datacube figures into this database, day by day.

What is fetched is decided by :class:`~wxops.analytics.models.SyncedDay` rows, not by a
task: a day that failed, was refused or came back provisional is fetched again on the next
sync, however long that is. WeChat's rules, as researched (docs/analytics.md):

* a day's figures exist after 08:00 the next day (account time): nothing later than
  :func:`ready_until` is asked for — the older endpoints silently leave an unready day out;
* each endpoint has a maximum span; a longer range is split into chunks, and a range WeChat
  still refuses (61501) is halved until it is one day, which is then recorded as failed;
* a quota error (45009/45011) stops the account's sync: the rest follows on the next run;
* the 2025 endpoints (getbizsummary, getarticleread, getarticletotaldetail) come first;
  the older ones fill in what the new ones lack (favourites, followers reached) and stand
  in when the new ones are refused.

Every write is an upsert keyed by the day (and article), so a day fetched twice is stored once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.translation import gettext as _

from wxops.accounts.models import Account
from wxops.accounts.times import shown_day
from wxops.analytics import datacube_parts as parts
from wxops.analytics.models import SYNC_TRANSITIONS, SyncedDay, SyncPart, SyncStatus
from wxops.core import clock
from wxops.wechat.errors import APIError, DateRangeError, RateLimited, TransportError, WeChatError

logger = logging.getLogger(__name__)

#: A day's figures are published at this hour of the next day (account time).
PUBLISH_HOUR = 8
#: An article's totals still grow this many days after its send; until then they are provisional.
TOTALS_GROW_DAYS = 7
#: Days fetched in one call per part (the smallest span any generation of the endpoint allows).
SPANS = {SyncPart.FOLLOWERS: 7, SyncPart.READING: 3, SyncPart.ARTICLES: 1, SyncPart.TOTALS: 1}
FETCHERS: dict[str, Callable] = {SyncPart.FOLLOWERS: parts.followers, SyncPart.READING: parts.reading,
                                 SyncPart.ARTICLES: parts.articles, SyncPart.TOTALS: parts.totals}


class SyncStopped(Exception):
    """WeChat's quota is used up: stop this account's sync, the next run goes on."""


@dataclass
class SyncOutcome:
    """What one sync of one account did: days stored per part, failures and a stop, in words."""

    account: str
    start: dt.date | None
    end: dt.date | None
    stored: dict[str, int] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)
    stopped: str = ""

    def describe(self) -> str:
        if self.start is None:
            return _("%(account)s: nothing to sync yet (yesterday's figures come after 08:00).") % {
                "account": self.account}
        done = "、".join(f"{SyncPart(p).label} {n}" for p, n in self.stored.items() if n) or _("nothing new")
        text = _("%(account)s %(start)s–%(end)s: stored %(done)s.") % {
            "account": self.account, "start": shown_day(self.start), "end": shown_day(self.end),
            "done": done}
        if self.failed:
            text += " " + _("Not stored (retried on the next sync): %(list)s") % {"list": "；".join(self.failed)}
        if self.stopped:
            text += " " + self.stopped
        return text


def ready_until(account: Account, now: dt.datetime | None = None) -> dt.date:
    """The last day whose figures WeChat has published: yesterday after 08:00, else the day before."""
    local = (now or clock.now()).astimezone(ZoneInfo(account.time_zone))
    return local.date() - dt.timedelta(days=1 if local.hour >= PUBLISH_HOUR else 2)


def mark(account: Account, part: str, day: dt.date, status: str, *, api: str = "", error: str = "") -> SyncedDay:
    """The one writer of ``SyncedDay.status``: checks the transition table, counts the attempt."""
    row, _created = SyncedDay.objects.get_or_create(account=account, part=part, day=day)
    if status not in SYNC_TRANSITIONS[row.status]:
        raise ValueError(f"a synced day cannot go from {row.status} to {status}")
    row.status, row.api, row.last_error = status, api or row.api, error
    row.attempts += 1
    row.synced_at = clock.now()
    row.save(update_fields=["status", "api", "last_error", "attempts", "synced_at"])
    return row


def days_to_fetch(account: Account, part: str, start: dt.date, end: dt.date, *, force: bool = False) -> list[dt.date]:
    """The days of ``start..end`` that have no ``done`` row (all of them with ``force``)."""
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    if force:
        return days
    done = set(SyncedDay.objects.filter(account=account, part=part, day__gte=start, day__lte=end,
                                        status=SyncStatus.DONE).values_list("day", flat=True))
    return [d for d in days if d not in done]


def chunks(days: list[dt.date], span: int) -> list[tuple[dt.date, dt.date]]:
    """Consecutive runs of ``days`` cut to at most ``span`` days each."""
    result: list[tuple[dt.date, dt.date]] = []
    for day in days:
        if result and (day - result[-1][1]).days == 1 and (day - result[-1][0]).days < span:
            result[-1] = (result[-1][0], day)
        else:
            result.append((day, day))
    return result


def sync_account(account: Account, start: dt.date | None = None, end: dt.date | None = None, *,
                 client=None, force: bool = False, now: dt.datetime | None = None) -> SyncOutcome:
    """Fetch and store ``start..end`` (default: the ready days of the look-back window).

    Days not yet published are left for later; days already done are skipped unless
    ``force``. Raises ``ValueError`` (in words) when the account has no AppSecret.
    """
    from wxops.accounts.actions import client_for
    from wxops.analytics import app_settings

    last = ready_until(account, now)
    end = min(end or last, last)
    start = start or (last - dt.timedelta(days=app_settings.lookback_days() - 1))
    outcome = SyncOutcome(account=account.name, start=None, end=None)
    if start > end:
        return outcome
    outcome.start, outcome.end = start, end
    client = client or client_for(account)
    try:
        for part in SyncPart.values:
            for begin, finish in chunks(days_to_fetch(account, part, start, end, force=force), SPANS[part]):
                _fetch(account, client, part, begin, finish, last, outcome)
    except SyncStopped as stop:
        outcome.stopped = str(stop)
    return outcome


def _fetch(account, client, part: str, begin: dt.date, end: dt.date, last: dt.date, outcome: SyncOutcome) -> None:
    try:
        result = FETCHERS[part](client, begin, end)
    except DateRangeError as error:
        if begin < end:  # halve the range until WeChat takes it
            middle = begin + dt.timedelta(days=(end - begin).days // 2)
            _fetch(account, client, part, begin, middle, last, outcome)
            _fetch(account, client, part, middle + dt.timedelta(days=1), end, last, outcome)
            return
        _failed(account, part, begin, end, outcome,
                _("WeChat refused the date range (61501: %(msg)s)") % {"msg": error.errmsg})
        return
    except RateLimited as error:
        _failed(account, part, begin, end, outcome, _("WeChat's call quota is used up (%(code)s)") % {
            "code": error.errcode})
        raise SyncStopped(_("Stopped: WeChat's call quota for statistics is used up; the rest follows on the "
                            "next sync.")) from error
    except TransportError as error:  # unreachable: every later range would wait through the same retries
        _failed(account, part, begin, end, outcome, _("WeChat could not be reached (%(error)s)") % {"error": error})
        raise SyncStopped(_("Stopped: WeChat could not be reached; the rest follows on the next sync.")) from error
    except (APIError, WeChatError) as error:
        _failed(account, part, begin, end, outcome, _("WeChat answered %(error)s") % {"error": error})
        return
    with transaction.atomic():
        stored_days = result.store(account)
        for day in _days(begin, end):
            if day in result.missing:
                mark(account, part, day, SyncStatus.FAILED, api=result.api,
                     error=_("WeChat returned no figures for this day"))
                outcome.failed.append(f"{day} {SyncPart(part).label}：" + _("WeChat returned no figures for this day"))
                continue
            growing = part == SyncPart.TOTALS and (last - day).days < TOTALS_GROW_DAYS
            status = SyncStatus.PROVISIONAL if (result.provisional or growing) else SyncStatus.DONE
            mark(account, part, day, status, api=result.api)
    outcome.stored[part] = outcome.stored.get(part, 0) + stored_days


def _failed(account, part, begin, end, outcome: SyncOutcome, reason: str) -> None:
    with transaction.atomic():
        for day in _days(begin, end):
            mark(account, part, day, SyncStatus.FAILED, error=reason)
    span = str(begin) if begin == end else f"{begin}–{end}"
    outcome.failed.append(f"{span} {SyncPart(part).label}：{reason}")
    logger.warning("statistics of %s, %s %s not synced: %s", account, part, span, reason)


def _days(begin: dt.date, end: dt.date) -> list[dt.date]:
    return [begin + dt.timedelta(days=n) for n in range((end - begin).days + 1)]
