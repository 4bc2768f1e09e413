"""Background work of publishing: the minute's sweep that sends due pushes.

The huey periodic task only triggers :func:`wxops.publishing.actions.run_due_sends`; the
database rows decide what is due, so a task lost with a killed worker only delays the
send to the next minute, and two workers running the sweep at once send nothing twice.
"""

from __future__ import annotations

from django_tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wxops.editorial.models import Push
from wxops.publishing.actions import preflight, previews, run_due_sends


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
