"""No task lost when a worker dies: find the tasks a dead worker was running and run them again.

huey takes a task off the queue when a worker thread starts it; if the worker process is
killed (``kill -9``, out of memory, a machine restart) the task is gone, and django-tasks'
record of it says ``RUNNING`` for ever. :func:`recover` finds such records — their worker
(``host.pid``) no longer runs on this host, or, for another host, they started longer than
``stale_after`` ago — marks each ``FAILED`` with the reason ("abandoned: …") and enqueues the
same task again. Tasks are idempotent (the database row is the truth), so a task that had done
its work before the kill finds nothing left to do.

A worker runs it as it starts (the dead worker it replaces is usually on the same host) and
every 5 minutes; it also forgets finished records older than :data:`KEEP_FINISHED` so the
result store stays small::

    summary = task_recovery.recover(HUEY)
    summary.requeued        # ["wxops.sources.tasks.poll_source_task(12)"]
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils.module_loading import import_string

from wxops.core import clock

logger = logging.getLogger(__name__)

RECORD_PREFIX = "djt."
#: A RUNNING task of another host is taken as abandoned after this long (its worker may still run).
STALE_AFTER = timedelta(minutes=30)
#: Finished records (successful or failed) are forgotten after this long.
KEEP_FINISHED = timedelta(days=7)
LOCK_KEY = "core.task_recovery.lock"
LOCK_EXPIRY = timedelta(minutes=10)


@dataclass
class Summary:
    requeued: list[str] = field(default_factory=list)
    forgotten: int = 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def abandoned_because(record: dict, now: datetime, stale_after: timedelta = STALE_AFTER) -> str:
    """Why a RUNNING record's worker is gone, in words; "" when it may still be running."""
    if record.get("status") != "RUNNING":
        return ""
    worker = (record.get("worker_ids") or ["?"])[-1]
    host, _, pid = worker.rpartition(".")
    if host == socket.gethostname() and pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
        return f"abandoned: worker {worker} stopped while running it"
    started = record.get("last_attempted_at") or record.get("started_at")
    if started and now - datetime.fromisoformat(started) > stale_after:
        return f"abandoned: started by {worker} at {started} and not finished within {stale_after}"
    return ""


def _describe(record: dict) -> str:
    arguments = ", ".join([*map(repr, record.get("args") or []),
                           *(f"{k}={v!r}" for k, v in (record.get("kwargs") or {}).items())])
    return f"{record.get('task_path')}({arguments})"


def recover(huey, now: datetime | None = None, stale_after: timedelta = STALE_AFTER) -> Summary:
    """Re-enqueue the tasks dead workers were running; forget old finished records. Never raises."""
    now = now or clock.now()
    summary = Summary()
    try:
        if not _acquire(huey, now):  # two workers starting at once must not both re-enqueue
            logger.info("task recovery already runs in another worker")
            return summary
        try:
            _recover(huey, now, stale_after, summary)
        finally:
            huey.delete(LOCK_KEY)
    except Exception:
        logger.exception("task recovery failed; it runs again in 5 minutes")
    return summary


def _acquire(huey, now: datetime) -> bool:
    """A lock in huey's store holding when it was taken; one older than LOCK_EXPIRY (its holder was
    killed) is broken. SqliteHuey's store has no expiring keys, hence the time inside."""
    if huey.put_if_empty(LOCK_KEY, now.isoformat()):
        return True
    taken = huey.get(LOCK_KEY, peek=True)
    if isinstance(taken, str) and now - datetime.fromisoformat(taken) > LOCK_EXPIRY:
        huey.delete(LOCK_KEY)
        return bool(huey.put_if_empty(LOCK_KEY, now.isoformat()))
    return False


def _recover(huey, now: datetime, stale_after: timedelta, summary: Summary) -> None:
    for key, raw in huey.storage.result_items().items():
        if not key.startswith(RECORD_PREFIX) or key == LOCK_KEY:
            continue
        try:
            record = huey.serializer.deserialize(raw)
        except Exception:  # noqa: BLE001 — a record we cannot read is not ours to judge
            logger.warning("task record %s cannot be read; left alone", key)
            continue
        if not isinstance(record, dict):
            continue
        finished = record.get("finished_at")
        if finished and now - datetime.fromisoformat(finished) > KEEP_FINISHED:
            huey.storage.delete_data(key)
            summary.forgotten += 1
            continue
        reason = abandoned_because(record, now, stale_after)
        if not reason:
            continue
        record.update(status="FAILED", finished_at=now.isoformat())
        record.setdefault("errors", []).append(["wxops.core.task_recovery.Abandoned", reason])
        huey.put_result(key, record)
        task = import_string(record["task_path"])
        task.enqueue(*(record.get("args") or []), **(record.get("kwargs") or {}))
        summary.requeued.append(_describe(record))
        logger.warning("%s; enqueued again: %s", reason, _describe(record))
