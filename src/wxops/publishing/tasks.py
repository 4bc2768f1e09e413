"""Background work of publishing: a send task per approved push, started just before its slot,
and the minute's sweep that sends whatever is due and resumes unfinished sends.

When a push is approved, :func:`schedule_send` enqueues :func:`send_at_slot_task` for
:data:`SEND_LEAD` before the slot: it uploads the pictures, waits for the slot minute and
sends — huey looks at its schedule every second, while its periodic tasks run only once a
minute counted from the worker's start. The periodic :func:`send_due_tick` calls
:func:`wxops.publishing.actions.run_due_sends` every minute all the same: the database rows
decide what is due, so a task lost with a killed worker only delays the send to the next
minute, and tasks and sweeps running at once send nothing twice.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wxops.core import clock
from wxops.editorial.models import Push, PushStatus
from wxops.publishing.actions import due, preflight, previews, run_due_sends

#: The per-push send task starts this long before the slot (a worker idle on the SQLite queue
#: may take up to 10 s to pick it up), uploads the pictures, then waits for the slot minute.
SEND_LEAD = timedelta(seconds=30)


@db_periodic_task(crontab(minute="*"), name="publishing.send_due")
def send_due_tick() -> None:
    run_due_sends()


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


def schedule_send(push_id: int, slot_at: datetime):
    """Enqueue the push's send task for :data:`SEND_LEAD` before ``slot_at``; nothing when the slot is
    nearer than that (the minute's sweep sends it). Returns the task result, or None."""
    ahead = slot_at - SEND_LEAD - clock.now()
    if ahead <= timedelta(0):
        return None
    # huey's schedule runs on the real clock; wxops's clock may be moved (simulations): keep the distance.
    return send_at_slot_task.using(run_after=timezone.now() + ahead).enqueue(push_id)


@task()
def send_at_slot_task(push_id: int) -> dict:
    """Warm the push's uploads, wait (at most :data:`SEND_LEAD` and 5 s) for its slot, send it if due."""
    push = Push.objects.select_related("account").filter(pk=push_id, status=PushStatus.APPROVED).first()
    if push is None:
        return {"skipped": "not approved any more"}
    due.warm_up(push)
    give_up = time.monotonic() + SEND_LEAD.total_seconds() + 5
    while clock.now() < push.slot_at and time.monotonic() < give_up:
        time.sleep(min(0.1, max(0.0, (push.slot_at - clock.now()).total_seconds())))
    outcome = due.send_when_due(push_id)
    return {"state": outcome.state if outcome else "not due", "push": push_id}
