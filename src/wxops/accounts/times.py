"""Times as an account's people read them: in the account's time zone (``Account.time_zone``).

The one helper for every time a person sees on a screen that belongs to an account (inbox,
conversations, calendar, pushes, send records, dashboard): :func:`local` in Python, the
``account_time`` filter in templates (``{% load account_times %}``). The admin's screens use
it without being told (``wxops.site``: the table cells, the detail screens, any page whose
context names its ``account``).

Django converts every aware datetime a template shows to the *person's* time zone (Wagtail
activates the one of their profile): a time merely moved with ``astimezone`` is moved back
when shown. :func:`local` returns an :class:`AccountTime`, which templates show as it is.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from wxops.accounts.models import Account


class AccountTime(datetime):
    """A datetime in its account's time zone that templates show unconverted (Django's own flag)."""

    convert_to_local_time = False


def account_of(thing) -> Account | None:
    """The account ``thing`` belongs to: itself, or its ``account`` (a push, a message, a source …)."""
    if isinstance(thing, Account):
        return thing
    account = getattr(thing, "account", None) if thing is not None else None
    return account if isinstance(account, Account) else None


def zone_of(thing) -> ZoneInfo | None:
    """The time zone of the account ``thing`` belongs to (``thing`` itself when it is a zone), or None
    when it belongs to none."""
    if isinstance(thing, ZoneInfo):
        return thing
    account = account_of(thing)
    return ZoneInfo(account.time_zone) if account is not None else None


def local(moment: datetime | None, thing) -> datetime | None:
    """``moment`` in the time zone of ``thing``'s account, shown so by templates; unchanged when
    ``thing`` belongs to no account (then a template shows it in the person's own time zone)."""
    if moment is None:
        return None
    zone = zone_of(thing)
    if zone is None or moment.tzinfo is None:
        return moment
    at = moment.astimezone(zone)
    return AccountTime(at.year, at.month, at.day, at.hour, at.minute, at.second, at.microsecond,
                       tzinfo=at.tzinfo, fold=at.fold)


def shown(moment: datetime | None, thing) -> str:
    """``moment`` as a person reads it, in the zone of ``thing``'s account (or of ``thing``, a zone)
    and the desk's one date style (the language's DATETIME_FORMAT: 2026年11月28日 05:31, as Wagtail's lists):
    for messages built in Python; templates use ``|account_time:x|date:"DATETIME_FORMAT"``."""
    from django.utils import formats

    return "" if moment is None else formats.date_format(local(moment, thing), "DATETIME_FORMAT")


def shown_day(day: date | None) -> str:
    """A day as a person reads it, in the desk's one date style (the language's DATE_FORMAT:
    2026年11月28日); a day needs no time zone (make it with :func:`local` first)."""
    from django.utils import formats

    return "" if day is None else formats.date_format(day, "DATE_FORMAT")


def shown_month_day(day: date | None) -> str:
    """A day without its year, in the desk's one date style (the language's MONTH_DAY_FORMAT: 3月2日,
    the desk's own for Chinese in ``wxops.site.formats``, Django's writes 03月2日): a chart's axis, a
    day within a period already named. Like :func:`shown_day`, it takes a day, not a moment."""
    from django.utils import formats

    return "" if day is None else formats.date_format(day, "MONTH_DAY_FORMAT")


def shown_for_all(moment: datetime | None) -> str:
    """``moment`` in the desk's one date style for a line about every account (a command's
    summary, "since …"): in the accounts' time zone when they share one, else in the site's
    (``TIME_ZONE``), which is then named after it."""
    from django.conf import settings

    if moment is None:
        return ""
    zones = set(Account.objects.values_list("time_zone", flat=True)[:100])
    if len(zones) == 1:
        return shown(moment, ZoneInfo(zones.pop()))
    return f"{shown(moment, ZoneInfo(settings.TIME_ZONE))} ({settings.TIME_ZONE})"
