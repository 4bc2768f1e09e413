"""Periodic jobs of the core app, run by the huey consumer (`wxops worker`)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wxops.core import actions


@db_periodic_task(crontab(minute="*"), name="core.heartbeat")
def heartbeat() -> None:
    """Proves the worker and its scheduler run: the health page shows the last beat."""
    actions.record_heartbeat("worker")
