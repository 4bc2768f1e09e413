"""China's public holidays and make-up working days (调休), and where each day's word comes from.

The State Council announces a year's holidays and 调休 around November of the year before,
so the installed ``chinesecalendar`` package may not know the coming year yet. An
administrator's :class:`~wxops.editorial.models.HolidayOverride` wins over the package, and
:func:`years_without_data` names the years the calendar cannot judge (it then treats
Monday–Friday as working days and says so).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
from django.utils.translation import gettext as _

from wxops.editorial.models import DayKind, HolidayOverride

PACKAGE = "chinesecalendar"


class Source:
    OVERRIDE = "override"
    PACKAGE = "package"
    NO_DATA = "no data"


@dataclass(frozen=True)
class Day:
    """What one date is: a working day or not, a public holiday (with its name) or not, and who says so."""

    date: date
    working: bool
    holiday: bool
    name: str
    source: str

    @property
    def make_up_workday(self) -> bool:
        """A weekend day worked in exchange for a holiday (调休)."""
        return self.working and self.date.weekday() >= 5

    @property
    def why(self) -> str:
        """The day in words, for the calendar: 国庆节（法定节假日，来自 chinesecalendar）."""
        if self.source == Source.NO_DATA:
            return _("%(year)d: no holiday data yet (add the days by hand)") % {"year": self.date.year}
        origin = _("set by an administrator") if self.source == Source.OVERRIDE else _("from %(package)s") % {
            "package": PACKAGE}
        if self.holiday:
            return _("%(name)s (public holiday, %(origin)s)") % {"name": self.name or _("holiday"), "origin": origin}
        if self.make_up_workday:
            return _("%(name)s make-up working day (调休, %(origin)s)") % {"name": self.name, "origin": origin}
        return ""


def _package_day(day: date) -> Day:
    try:
        holiday, name = chinese_calendar.get_holiday_detail(day)
        working = chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the installed package does not know
        return Day(day, day.weekday() < 5, False, "", Source.NO_DATA)
    chinese = _chinese_name(name)
    # The package calls every weekend "holiday"; only a named day is a public holiday.
    return Day(day, working, bool(holiday and name), chinese, Source.PACKAGE)


def _chinese_name(name: str | None) -> str:
    if not name:
        return ""
    for holiday in chinese_calendar.Holiday:
        if holiday.value == name:
            return holiday.chinese
    return name


def days(start: date, end: date) -> dict[date, Day]:
    """Every date from ``start`` to ``end`` (inclusive) as a :class:`Day`; overrides win."""
    overrides = {row.date: row for row in HolidayOverride.objects.filter(date__gte=start, date__lte=end)}
    result = {}
    current = start
    while current <= end:
        row = overrides.get(current)
        if row is not None:
            holiday = row.kind == DayKind.HOLIDAY
            result[current] = Day(current, not holiday, holiday, row.name, Source.OVERRIDE)
        else:
            result[current] = _package_day(current)
        current += timedelta(days=1)
    return result


def day(moment: date) -> Day:
    return days(moment, moment)[moment]


def package_knows(year: int) -> bool:
    return _package_day(date(year, 1, 1)).source == Source.PACKAGE


def years_without_data(today: date, *, ahead_days: int = 60) -> list[int]:
    """The years from ``today`` to ``ahead_days`` later that neither the package nor an
    administrator's overrides cover: the calendar warns about them."""
    missing = []
    for year in sorted({today.year, (today + timedelta(days=ahead_days)).year}):
        if not package_knows(year) and not HolidayOverride.objects.filter(date__year=year).exists():
            missing.append(year)
    return missing
