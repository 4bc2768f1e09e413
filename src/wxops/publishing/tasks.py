"""Background work of publishing: a send task per slot minute, started just before it, and the
minute's sweep that sends whatever is due and resumes unfinished sends.

When a push is approved, :func:`arm_slot` sees that :func:`send_slot_task` is on huey's
schedule for :data:`~wxops.publishing.actions.timers.LEAD` before the slot (huey reads its
schedule every second, while its periodic tasks run only once a minute counted from the
worker's start); the minute's tick arms the slots one to two minutes away again, which also
covers a task lost with its worker or a worker started just before a slot. The task uploads
the pictures, waits for the slot minute and sends every push of that minute side by side.
The periodic :func:`send_due_tick` calls :func:`wxops.publishing.actions.run_due_sends` every
minute all the same: the database rows decide what is due, so a lost task only delays the
send to the next minute, and tasks and sweeps running at once send nothing twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wxops.core import clock
from wxops.editorial.models import Push
from wxops.publishing.actions import preflight, previews, run_due_sends, slot, timers
from wxops.publishing.actions.states import new_owner


@db_periodic_task(crontab(minute="*"), name="publishing.send_due")
def send_due_tick() -> None:
    timers.arm_upcoming(enqueue_slot_task)  # first: a long sweep must not make a slot's task late
    run_due_sends()
    timers.forget_before(clock.now() - timedelta(days=1))


def arm_slot(slot_at: datetime) -> datetime | None:
    """See that the send task of ``slot_at``'s minute is armed (at an approval); the start
    enqueued, or None when one already is."""
    return timers.arm(slot_at, enqueue_slot_task)


def enqueue_slot_task(slot_at: datetime, start: datetime):
    """Put :func:`send_slot_task` on the queue to start at ``start`` (the real clock). With tasks
    run inline (tests, the time-lapse) nothing waits in a worker: one due now is left to the
    sweep rather than run inside the approval."""
    if settings.HUEY.get("immediate") and start <= timezone.now():
        return None
    return send_slot_task.using(run_after=start).enqueue(slot_at.isoformat(), start.isoformat())


@task()
def send_slot_task(slot_iso: str, start_iso: str) -> dict:
    """Take the minute's timer, warm up its pushes, wait for the minute and send them all."""
    slot_at, start = datetime.fromisoformat(slot_iso), datetime.fromisoformat(start_iso)
    owner = new_owner()
    if not timers.take(slot_at, start, owner):
        return {"skipped": "another task has this minute"}
    try:
        outcomes = slot.send_slot(slot_at, owner)
    finally:
        timers.release(slot_at, owner)
    if outcomes is None:
        return {"skipped": "the slot is not near (the clock moved)"}
    return {"sent": [{"push": o.push_id, "state": o.state} for o in outcomes]}


@db_periodic_task(crontab(minute="41"), name="publishing.preflight")
def preflight_tick() -> None:
    """Every hour: approved pushes of the next three days that would fail go back to review."""
    preflight.recheck_upcoming()


@task()
def send_previews_task(push_id: int) -> dict:
    """The reviewers' WeChat previews of a submitted push (``message/mass/preview``)."""
    push = Push.objects.select_related("account").filter(pk=push_id).first()
    if push is None:
        return {"skipped": "push deleted"}
    results = previews.send_previews(push)
    return {"sent": sum(1 for r in results if not r.error), "failed": sum(1 for r in results if r.error)}
