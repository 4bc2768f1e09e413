"""An account's push schedule read as moments: its slots over some days, with the reasons a
slot moved, was skipped or added, and the deadlines of each slot — in the account's zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from wxops.accounts.times import shown_month_day
from wxops.editorial import public_holidays
from wxops.editorial.models import HolidayPolicy, PushOrigin, PushSchedule, SlotChange, SlotChangeKind

#: How far a slot on a holiday may move to find a working day (the longest break is 8–9 days).
MOVE_WITHIN_DAYS = 14


def schedule_for(account) -> PushSchedule:
    """The account's schedule; an account without one gets the plan's (Mon/Wed/Fri 11:30, review by 10:00)."""
    schedule = PushSchedule.objects.filter(account=account).select_related("account").first()
    if schedule is None:
        schedule, _created = PushSchedule.objects.get_or_create(account=account)
    return schedule


def zone_of(account) -> ZoneInfo:
    return ZoneInfo(account.time_zone)


def deadlines_for(schedule: PushSchedule, slot_at: datetime) -> tuple[datetime, datetime]:
    """(review deadline, latest send) of a slot: the same local day as the slot.

    A deadline later than the slot (an extra slot at 09:00) falls back to one hour before it.
    """
    zone = zone_of(schedule.account)
    local = slot_at.astimezone(zone)
    deadline = datetime.combine(local.date(), schedule.review_deadline, tzinfo=zone)
    if deadline >= local:
        deadline = local - timedelta(hours=1)
    latest = local
    if schedule.late_send_until is not None:
        latest = max(local, datetime.combine(local.date(), schedule.late_send_until, tzinfo=zone))
    return deadline, latest


@dataclass(frozen=True)
class Slot:
    """A moment the account pushes, and why it is there (empty for a plain regular slot)."""

    at: datetime
    origin: str
    why: str = ""
    regular_at: datetime | None = None  # where a moved slot came from


@dataclass(frozen=True)
class SkippedSlot:
    """A regular slot that does not happen, and why."""

    at: datetime
    why: str


def slots_between(account, start: date, end: date, *,
                  schedule: PushSchedule | None = None) -> tuple[list[Slot], list[SkippedSlot]]:
    """The account's slots on the local dates ``start``..``end`` (inclusive), and the regular
    slots skipped there: holidays by the account's policy, cancelled ones, extra ones added."""
    schedule = schedule or schedule_for(account)
    zone = zone_of(account)
    first = start - timedelta(days=MOVE_WITHIN_DAYS)  # a slot moved into the range starts before it
    last = end + timedelta(days=MOVE_WITHIN_DAYS)
    calendar = public_holidays.days(first, last)
    changes = SlotChange.objects.filter(account=account, slot_at__gte=datetime.combine(first, datetime.min.time(),
                                                                                        tzinfo=zone),
                                        slot_at__lt=datetime.combine(last, datetime.min.time(), tzinfo=zone))
    cancelled = {c.slot_at: c for c in changes if c.kind == SlotChangeKind.CANCELLED}
    slots: list[Slot] = []
    skipped: list[SkippedSlot] = []
    regular_days = {d for d in calendar if d.weekday() in schedule.weekdays}
    taken: set[date] = set()
    for current in sorted(regular_days):
        if current > end:
            break
        at = datetime.combine(current, schedule.send_time, tzinfo=zone)
        day = calendar[current]
        if at in cancelled:
            skipped.append(SkippedSlot(at, _("Cancelled: %(note)s") % {"note": cancelled[at].note or "—"}))
            continue
        if not day.holiday:
            slots.append(Slot(at, PushOrigin.SCHEDULE, day.why))
            taken.add(current)
            continue
        if schedule.holiday_policy == HolidayPolicy.KEEP:
            slots.append(Slot(at, PushOrigin.SCHEDULE, _("Kept on %(why)s") % {"why": day.why}))
            taken.add(current)
        elif schedule.holiday_policy == HolidayPolicy.SKIP:
            skipped.append(SkippedSlot(at, _("Skipped: %(why)s") % {"why": day.why}))
        else:
            target = _next_free_working_day(current, calendar, regular_days, taken)
            if target is None:
                skipped.append(SkippedSlot(at, _("Skipped: %(why)s; no free working day within two weeks")
                                           % {"why": day.why}))
                continue
            taken.add(target)
            moved = datetime.combine(target, schedule.send_time, tzinfo=zone)
            slots.append(Slot(moved, PushOrigin.SCHEDULE, _("Moved from %(date)s: %(why)s") % {
                "date": shown_month_day(current), "why": day.why}, regular_at=at))
    for change in changes:
        if change.kind == SlotChangeKind.EXTRA:
            slots.append(Slot(change.slot_at.astimezone(zone), PushOrigin.EXTRA,
                              _("Extra: %(note)s") % {"note": change.note or "—"}))
    inside = [s for s in slots if start <= s.at.astimezone(zone).date() <= end]
    return sorted(inside, key=lambda s: s.at), [s for s in skipped if start <= s.at.date() <= end]


def _next_free_working_day(day: date, calendar, regular_days: set[date], taken: set[date]) -> date | None:
    for offset in range(1, MOVE_WITHIN_DAYS + 1):
        candidate = day + timedelta(days=offset)
        info = calendar.get(candidate)
        if info is None:
            return None
        # a working day that holds no slot of its own and got no other moved slot
        if info.working and candidate not in taken and not (candidate in regular_days
                                                           and not calendar[candidate].holiday):
            return candidate
    return None
