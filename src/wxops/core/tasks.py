"""Periodic jobs of the core app, run by the huey consumer (`wxops worker`)."""

from django.db import close_old_connections
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from wxops.core import actions


@db_periodic_task(crontab(minute="*"), name="core.heartbeat")
def heartbeat() -> None:
    """Proves the worker and its scheduler run: the health page shows the last beat."""
    actions.record_heartbeat("worker")


@HUEY.on_startup(name="core.announce_worker")
def announce_worker() -> None:
    """A first beat as soon as a worker thread starts, before the first periodic tick."""
    try:
        actions.record_heartbeat("worker")
    finally:
        close_old_connections()
