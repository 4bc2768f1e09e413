"""Periodic jobs of the core app, run by the huey consumer (`wxops worker`)."""

from django.db import close_old_connections
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from wxops.core import actions, task_recovery


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


@db_periodic_task(crontab(minute="*/5"), name="core.recover_tasks")
def recover_tasks() -> None:
    """Run again what dead workers were running (their records say RUNNING for ever otherwise)."""
    task_recovery.recover(HUEY)


@HUEY.on_startup(name="core.recover_on_start")
def recover_on_start() -> None:
    """A worker that starts usually replaces one that died on this host: recover its tasks at once."""
    try:
        task_recovery.recover(HUEY)
    finally:
        close_old_connections()
