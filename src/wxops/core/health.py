"""What `/healthz` checks: the database, the worker's heartbeat, the task queue and its backlog.

Each check answers with a :class:`Check` — ok or not, the reason in words, an age in
seconds where time matters and a figure (rows, tasks) where one helps — so a load balancer
reads the status code and a person reads the JSON::

    report = health.report()
    report.ok              # False when any check failed
    report.as_json()       # {"status": "fail", "checks": {"worker": {"ok": False, "age_seconds": 540, …}}}

Thresholds come from the settings ``WXOPS_HEALTH_HEARTBEAT_MAX_AGE`` (default 180 s) and
``WXOPS_HEALTH_BACKLOG_MAX_AGE`` (default 600 s). No check raises: a probe reports.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection

from wxops.core import clock

#: The key under which django-tasks' huey backend keeps a task's record (with its enqueue time).
TASK_RECORD_KEY = "djt.%s"
#: How many queued tasks the backlog check looks at (the next ones to run are the oldest).
BACKLOG_SAMPLE = 50


@dataclass(frozen=True)
class Check:
    """One health check's answer."""

    name: str
    ok: bool
    detail: str
    age_seconds: float | None = None
    figure: int | None = None


@dataclass(frozen=True)
class Report:
    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def reasons(self) -> list[str]:
        return [f"{check.name}: {check.detail}" for check in self.checks if not check.ok]

    def as_json(self) -> dict:
        return {
            "status": "ok" if self.ok else "fail",
            "reasons": self.reasons,
            "checks": {check.name: {key: value for key, value in asdict(check).items() if key != "name"}
                       for check in self.checks},
        }


def _seconds(since: datetime, now: datetime) -> float:
    return round(max(0.0, (now - since).total_seconds()), 1)


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001 — a probe reports, it never raises
        return Check("database", False, f"unreachable: {type(error).__name__}: {error}")
    return Check("database", True, f"{connection.vendor} answers")


def check_heartbeat(max_age: float, now: datetime | None = None) -> Check:
    """The worker's last beat is younger than ``max_age`` seconds (it beats every minute)."""
    from wxops.core.models import Heartbeat

    now = now or clock.now()
    try:
        beat = Heartbeat.objects.filter(name="worker").first()
    except Exception as error:  # noqa: BLE001
        return Check("worker", False, f"cannot read the heartbeat: {type(error).__name__}")
    if beat is None:
        return Check("worker", False, "no worker has ever beaten: start `wxops worker`")
    age = _seconds(beat.beat_at, now)
    if age > max_age:
        return Check("worker", False, f"last heartbeat {age:.0f} s ago (limit {max_age:g} s): is `wxops worker` "
                     "running, with its scheduler?", age, beat.count)
    return Check("worker", True, f"last heartbeat {age:.0f} s ago", age, beat.count)


def _probe_redis(url: str) -> None:
    """Ping Redis with short timeouts (huey's own client would wait for ever on a silent host)."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
    try:
        client.ping()
    finally:
        client.close()


def _waiting_ids(huey, limit: int) -> list[str]:
    """The ids of the next waiting tasks, read from the raw messages.

    ``huey.pending()`` would look each task up in this process's task registry, and the web
    process never imports the worker's task modules: it logged a traceback per task.
    """
    return [huey.serializer.deserialize(raw).id for raw in huey.storage.enqueued_items(limit)]


def check_queue(huey, max_age: float, now: datetime | None = None, redis_url: str = "") -> tuple[Check, Check]:
    """The queue answers (``queue``), and its next tasks waited less than ``max_age`` seconds (``backlog``).

    A task's wait counts from when it was enqueued or, if later, from the time it was asked to
    run after; tasks enqueued without a record (huey's own periodic jobs) are counted, not aged.
    """
    from huey import MemoryHuey

    now = now or clock.now()
    if isinstance(huey, MemoryHuey):
        return (Check("queue", True, "tasks run inline (WXOPS_TASKS_IMMEDIATE): no queue", figure=0),
                Check("backlog", True, "no queue", age_seconds=0.0, figure=0))
    kind = type(huey).__name__
    try:
        if redis_url:
            _probe_redis(redis_url)
        size = huey.pending_count()
        oldest = None
        for task_id in _waiting_ids(huey, BACKLOG_SAMPLE):
            record = huey.get(TASK_RECORD_KEY % task_id, peek=True)
            if not isinstance(record, dict) or not record.get("enqueued_at"):
                continue
            since = max(datetime.fromisoformat(value) for value in (record["enqueued_at"], record.get("run_after"))
                        if value)
            oldest = since if oldest is None or since < oldest else oldest
    except Exception as error:  # noqa: BLE001 — Redis down, SQLite file unreadable, …
        reason = f"{kind} unreachable: {type(error).__name__}: {error}"
        return Check("queue", False, reason), Check("backlog", False, "unknown: the queue is unreachable")
    queue = Check("queue", True, f"{kind} answers, {size} task(s) waiting", figure=size)
    age = _seconds(oldest, now) if oldest else 0.0
    if age > max_age:
        return queue, Check("backlog", False, f"the oldest waiting task was queued {age:.0f} s ago (limit "
                            f"{max_age:g} s): the worker is stopped or cannot keep up", age, size)
    return queue, Check("backlog", True, f"the oldest waiting task was queued {age:.0f} s ago", age, size)


def report() -> Report:
    """Every check of this installation, with the thresholds from the settings."""
    from huey.contrib.djhuey import HUEY

    now = clock.now()
    database = check_database()
    if not database.ok:
        worker = Check("worker", False, "unknown: the database is unreachable")
    else:
        worker = check_heartbeat(settings.WXOPS_HEALTH_HEARTBEAT_MAX_AGE, now)
    queue, backlog = check_queue(HUEY, settings.WXOPS_HEALTH_BACKLOG_MAX_AGE, now,
                                 getattr(settings, "REDIS_URL", ""))
    return Report((database, worker, queue, backlog))
