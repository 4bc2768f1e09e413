"""Background work of interaction (run by huey's worker, ``wxops worker``)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wxops.interaction.feedback.tasks import feedback_tick


@db_periodic_task(crontab(minute="*/10"), name="interaction.feedback")
def feedback() -> None:
    """Open feedback windows for sent pushes, sync their comments, close the windows past 24 hours."""
    feedback_tick()
