"""An account's push schedule read as moments: the deadlines of a slot, in the account's zone."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from wxops.editorial.models import PushSchedule


def schedule_for(account) -> PushSchedule:
    """The account's schedule; an account without one gets the plan's (Mon/Wed/Fri 11:30, review by 10:00)."""
    schedule = PushSchedule.objects.filter(account=account).first()
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
        candidate = datetime.combine(local.date(), schedule.late_send_until, tzinfo=zone)
        latest = max(local, candidate)
    return deadline, latest
