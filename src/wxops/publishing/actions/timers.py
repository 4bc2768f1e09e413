"""Slot timers: one task per slot minute, started :data:`LEAD` before it, sends every push due then.

huey's periodic tasks run once a minute counted from the worker's start, so the minute's sweep
alone sends 0–60 s after the slot. A task on huey's schedule (read every second) starts
:data:`LEAD` ahead instead, uploads the pictures, waits for the minute and sends all that
minute's pushes side by side (:mod:`wxops.publishing.actions.slot`).

A :class:`~wxops.publishing.models.SlotTimer` row per slot minute remembers the task armed
for it (when it starts, on the real clock, which is huey's) and who runs it (a lease renewed
while it waits and sends). Arming is asked for at each approval and, by the minute's tick,
for every slot one to two minutes away (also right after a worker starts); it enqueues only
when needed:

- nothing armed yet, or the clock moved since (a time-lapse), so the armed start is wrong;
- the armed task was lost: not started :data:`PICKUP` after its start (a worker killed
  holding it, a queue wiped);
- the armed task already ran and something was approved after it (a late send).

Two tasks of one minute cannot both run: each takes the timer's lease first, and a task
armed before a re-arming finds it superseded. Even so the row is a trigger's memory only —
the claim on each push (approved → sending) decides who sends, and the sweep sends what a
timer missed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from wxops.core import clock
from wxops.editorial.models import Push, PushStatus
from wxops.publishing.models import SlotTimer

#: The slot's task starts this long before it: an idle worker polls the SQLite queue at most
#: every 10 s, then the pictures go up; what is left at the minute is the draft and the send.
LEAD = timedelta(seconds=30)
#: A task not started this long after its start was lost with its worker (or its queue).
PICKUP = timedelta(seconds=15)
#: The minute's tick arms the slots at most this far ahead (ticks come every 60 s: each slot
#: is armed by a tick at least a minute before it).
AHEAD = timedelta(minutes=2)
#: A runner renews its lease while it waits and sends; a dead one's runs out this fast.
RUNNER_LEASE = timedelta(seconds=5)
#: Starts closer than this are the same start (the arming's own computation, the database's rounding).
SAME_START = timedelta(seconds=2)

Enqueue = Callable[[datetime, datetime], object]


def start_for(slot_at: datetime, *, wall: datetime | None = None) -> datetime:
    """When (real clock) the task of ``slot_at`` should start: :data:`LEAD` before it, now if nearer
    or past. wxops's clock may be moved (time-lapses, benchmarks): the distance is what counts."""
    wall = wall or timezone.now()
    return wall + max(slot_at - LEAD - clock.now(), timedelta(0))


def arm(slot_at: datetime, enqueue: Enqueue) -> datetime | None:
    """See that a task runs for ``slot_at``'s minute; ``enqueue(slot_at, start)`` puts one on the
    queue when needed (see the module). Returns the start enqueued, or None when one is armed."""
    wall = timezone.now()
    start = start_for(slot_at, wall=wall)
    with transaction.atomic():
        timer, created = SlotTimer.objects.select_for_update().get_or_create(
            slot_at=slot_at, defaults={"armed_for": start})
        if not created:
            if not needs_arming(timer, start, wall):
                return None
            SlotTimer.objects.filter(pk=timer.pk).update(armed_for=start)
    enqueue(slot_at, start)  # lost if this fails: the timer is then "not started" and armed again
    return start


def needs_arming(timer: SlotTimer, start: datetime, wall: datetime) -> bool:
    """Whether ``timer`` needs a new task to start at ``start`` (now being ``wall``)."""
    if timer.armed_for is None:
        return True
    if timer.runner_until is not None and timer.runner_until >= wall:
        return False  # a runner is on it: it looks for the minute's approved pushes again as it sends
    if timer.taken_at is not None and timer.taken_at >= timer.armed_for - SAME_START:
        return True  # the armed task ran: what is approved now came after it
    if abs(timer.armed_for - start) <= SAME_START:
        return False  # armed as it should be, not due yet
    if timer.armed_for > start or start > wall:
        return True  # the clock moved: the armed start is wrong
    return timer.armed_for + PICKUP < wall  # due: lost unless it is being picked up


def arm_upcoming(enqueue: Enqueue, *, now: datetime | None = None) -> list[datetime]:
    """Arm the minutes of the approved pushes at most :data:`AHEAD` away (the minute's tick)."""
    now = now or clock.now()
    minutes = Push.objects.filter(status=PushStatus.APPROVED, slot_at__gt=now, slot_at__lte=now + AHEAD) \
        .order_by("slot_at").values_list("slot_at", flat=True).distinct()
    return [slot_at for slot_at in minutes if arm(slot_at, enqueue) is not None]


def take(slot_at: datetime, start: datetime, owner: str) -> bool:
    """The task armed to start at ``start`` takes its minute; False when another runs it, or when
    the timer was armed again since (this task is superseded)."""
    wall = timezone.now()
    return SlotTimer.objects.filter(slot_at=slot_at, armed_for__gte=start - SAME_START,
                                    armed_for__lte=start + SAME_START).filter(
        Q(runner_until__isnull=True) | Q(runner_until__lt=wall) | Q(runner=owner)).update(
        runner=owner, runner_until=wall + RUNNER_LEASE, taken_at=wall) == 1


def renew(slot_at: datetime, owner: str) -> None:
    SlotTimer.objects.filter(slot_at=slot_at, runner=owner).update(runner_until=timezone.now() + RUNNER_LEASE)


def release(slot_at: datetime, owner: str) -> None:
    SlotTimer.objects.filter(slot_at=slot_at, runner=owner).update(runner="", runner_until=None)


def running_minutes() -> set[datetime]:
    """The slot minutes a live runner is sending: the sweep leaves their pushes to it."""
    return set(SlotTimer.objects.filter(runner_until__gte=timezone.now()).values_list("slot_at", flat=True))


def forget_before(moment: datetime) -> int:
    """Delete the timers of slots before ``moment`` (kept a day for the curious)."""
    return SlotTimer.objects.filter(slot_at__lt=moment).delete()[0]
