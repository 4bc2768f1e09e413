"""Background work of publishing: the minute's sweep that sends due pushes.

The huey periodic task only triggers :func:`wxops.publishing.actions.run_due_sends`; the
database rows decide what is due, so a task lost with a killed worker only delays the
send to the next minute, and two workers running the sweep at once send nothing twice.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wxops.publishing.actions import run_due_sends


@db_periodic_task(crontab(minute="*"), name="publishing.send_due")
def send_due_tick() -> None:
    run_due_sends()
