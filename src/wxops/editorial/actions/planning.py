"""Keeping the calendar's pushes in step with the schedule, and the planner's suggestions on them."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from wxops.core import clock
from wxops.editorial import planner
from wxops.editorial.actions.errors import PushError
from wxops.editorial.actions.pushes import _require_plan, plan_push
from wxops.editorial.actions.status import transition
from wxops.editorial.models import Push, PushOrigin, PushStatus, SlotChange, SlotChangeKind
from wxops.editorial.schedule import schedule_for, slots_between, zone_of

#: How far ahead the calendar keeps a push row for every slot (reminders and holds run on rows).
HORIZON_DAYS = 14


def plan_upcoming(account, *, days: int = HORIZON_DAYS) -> list[Push]:
    """Make sure every slot of the next ``days`` days has its push, each with a category
    suggestion; an empty planned push whose slot left the schedule is cancelled.

    Idempotent; run by the daily task and after the schedule or a slot change is edited.
    """
    schedule = schedule_for(account)
    now = clock.now()
    today = now.astimezone(zone_of(account)).date()
    slots, _skipped = slots_between(account, today, today + timedelta(days=days), schedule=schedule)
    wanted = {slot.at for slot in slots if slot.at > now}
    pushes = [plan_push(account, slot.at, origin=slot.origin, schedule=schedule) for slot in slots
              if slot.at in wanted]
    horizon_end = now + timedelta(days=days + 1)
    for stale in Push.objects.filter(account=account, status=PushStatus.PLANNED, slot_at__gt=now,
                                     slot_at__lt=horizon_end).exclude(slot_at__in=wanted):
        if not stale.items.exists():
            transition(stale, PushStatus.CANCELLED, reason=_("The slot is no longer in the schedule."))
    suggest_categories(account)
    return pushes


def suggest_categories(account) -> None:
    """Refresh the planner's suggestion on every coming push not yet submitted."""
    now = clock.now()
    coming = list(Push.objects.filter(account=account, slot_at__gt=now).exclude(
        status__in=[PushStatus.CANCELLED, PushStatus.SENT, PushStatus.FAILED]).order_by("slot_at"))
    for push_id, suggestion in planner.plan_suggestions(account, coming).items():
        Push.objects.filter(pk=push_id).update(suggested_category=suggestion.category,
                                               suggestion_reason=suggestion.reason)


def choose_category(push: Push, category, *, user) -> Push:
    """The editor overrides the planner's suggestion for ``push`` (None: back to the suggestion)."""
    _require_plan(user)
    if category is not None and category.account_id != push.account_id:
        raise PushError(_("This category belongs to another official account."))
    Push.objects.filter(pk=push.pk).update(category=category)
    push.category = category
    suggest_categories(push.account)
    return push


def add_slot(account, slot_at, *, user, note: str = "") -> Push:
    """A one-off extra slot (recorded as a slot change) and its push."""
    _require_plan(user)
    if slot_at <= clock.now():
        raise PushError(_("An extra slot must be in the future."))
    with transaction.atomic():
        SlotChange.objects.get_or_create(account=account, slot_at=slot_at, kind=SlotChangeKind.EXTRA,
                                         defaults={"note": note, "created_by": user})
        push = plan_push(account, slot_at, user=user, origin=PushOrigin.EXTRA)
    return push


def cancel_slot(push: Push, *, user, note: str) -> Push:
    """Cancel a slot once (recorded as a slot change, so the calendar does not plan it again)
    and its push. Articles in it are freed."""
    _require_plan(user)
    if not note.strip():
        raise PushError(_("Say why the slot is cancelled."))
    with transaction.atomic():
        SlotChange.objects.get_or_create(account=push.account, slot_at=push.slot_at, kind=SlotChangeKind.CANCELLED,
                                         defaults={"note": note.strip(), "created_by": user})
        SlotChange.objects.filter(account=push.account, slot_at=push.slot_at, kind=SlotChangeKind.EXTRA).delete()
        transition(push, PushStatus.CANCELLED, user=user, reason=note.strip())
    return push
