"""`/healthz` tells the truth: 503 with the reason when the worker stopped beating, the queue
cannot be reached or its backlog waits too long; 200 when all is well; every check in the JSON."""

import json
import logging
import os
import socket
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from huey import RedisHuey, SqliteHuey

from wxops.core import clock, health
from wxops.core.tasks import heartbeat

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_healthy_system_answers_200_with_every_check(client):
    with clock.frozen(NOW):
        heartbeat()  # inline in tests (WXOPS_TASKS_IMMEDIATE)
        clock.advance(timedelta(seconds=170))
        answer = client.get("/healthz")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["status"], body["reasons"]) == ("ok", [])
    assert set(body["checks"]) == {"database", "worker", "queue", "backlog"}
    assert all(check["ok"] for check in body["checks"].values())
    assert (body["checks"]["worker"]["age_seconds"], body["checks"]["worker"]["figure"]) == (170.0, 1)
    assert answer["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_a_stale_heartbeat_is_503_with_its_age(client):
    with clock.frozen(NOW):
        heartbeat()
        clock.advance(timedelta(minutes=9))
        answer = client.get("/healthz")
    assert answer.status_code == 503
    body = answer.json()
    worker = body["checks"]["worker"]
    assert (worker["ok"], worker["age_seconds"]) == (False, 540.0)
    assert body["reasons"] == ["worker: " + worker["detail"]]
    assert "540 s ago (limit 180 s)" in worker["detail"]
    # The threshold is a setting.
    with clock.frozen(NOW + timedelta(minutes=9)):
        from django.test import override_settings

        with override_settings(WXOPS_HEALTH_HEARTBEAT_MAX_AGE=600):
            assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_no_heartbeat_at_all_is_503(client):
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json()["checks"]["worker"]["detail"].startswith("no worker has ever beaten")


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens there once the socket closes


def test_an_unreachable_redis_queue_fails_both_queue_checks():
    url = f"redis://127.0.0.1:{closed_port()}/0"
    queue, backlog = health.check_queue(RedisHuey("wxops_health_test", url=url), 600, NOW, redis_url=url)
    assert (queue.ok, backlog.ok) == (False, False)
    assert queue.detail.startswith("RedisHuey unreachable: ConnectionError")


def test_an_unreadable_sqlite_queue_fails(tmp_path):
    queue_file = tmp_path / "tasks.sqlite3"
    huey = SqliteHuey("wxops", filename=str(queue_file))
    queue, backlog = health.check_queue(huey, 600, NOW)
    assert (queue.ok, queue.figure, backlog.ok) == (True, 0, True)
    huey.storage.close()
    for leftover in tmp_path.glob("tasks.sqlite3*"):
        leftover.unlink()
    queue_file.write_bytes(os.urandom(4096))  # the disk gave way, or someone wrote over the file
    queue, backlog = health.check_queue(SqliteHuey("wxops", filename=str(queue_file), create_tables=False), 600, NOW)
    assert (queue.ok, backlog.ok) == (False, False)
    assert queue.detail.startswith("SqliteHuey unreachable: DatabaseError")


BACKLOG_SCRIPT = """
import json, time_machine
from datetime import timedelta
from django.test import Client
from django.utils import timezone
from wxops.core import actions
from wxops.core.tests.marker_task import write_marker
write_marker.enqueue({marker!r}, "x")
actions.record_heartbeat("worker")
fresh = Client(HTTP_HOST="localhost").get("/healthz")
with time_machine.travel(timezone.now() + timedelta(minutes=15)):
    stale = Client(HTTP_HOST="localhost").get("/healthz")
print(json.dumps([fresh.status_code, fresh.json(), stale.status_code, stale.json()]))
"""


@pytest.mark.parametrize("queue", ["sqlite", "redis"])
def test_a_backlog_older_than_the_limit_is_503(tmp_path, queue):
    """A task waits in the real queue with no worker: fine at first, 503 once it waited 15 minutes."""
    if os.environ.get("DATABASE_URL"):
        pytest.skip("a test of the queue on its own SQLite database: the suite's SQLite run has it")
    env = {**os.environ, "WXOPS_DATA_DIR": str(tmp_path), "WXOPS_TASKS_IMMEDIATE": "false",
           "WXOPS_HEALTH_HEARTBEAT_MAX_AGE": "86400", "WXOPS_HEALTH_BACKLOG_MAX_AGE": "600"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if queue == "redis":
        import redis

        try:
            redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=1).ping()
        except redis.RedisError:
            pytest.skip("no Redis at 127.0.0.1:6379")
        env.update(REDIS_URL="redis://127.0.0.1:6379/15", WXOPS_QUEUE_NAME=f"wxops_test_{uuid.uuid4().hex}")

    def wxops(*args):
        return subprocess.run([sys.executable, "-m", "wxops.cli", *args], env=env, capture_output=True,
                              text=True, timeout=300)

    try:
        assert wxops("migrate", "-v0").returncode == 0
        run = wxops("shell", "-c", BACKLOG_SCRIPT.format(marker=str(tmp_path / "marker.txt")))
        assert run.returncode == 0, run.stderr
        fresh_status, fresh, stale_status, stale = json.loads(run.stdout.strip().splitlines()[-1])
    finally:
        if queue == "redis":
            import redis

            server = redis.Redis.from_url(env["REDIS_URL"])
            for key in server.scan_iter(match=f"*{env['WXOPS_QUEUE_NAME']}*"):
                server.delete(key)
    assert fresh_status == 200, fresh
    assert (fresh["checks"]["queue"]["figure"], fresh["checks"]["backlog"]["figure"]) == (1, 1)
    assert stale_status == 503
    assert stale["reasons"] == ["backlog: " + stale["checks"]["backlog"]["detail"]]
    assert 900 <= stale["checks"]["backlog"]["age_seconds"] < 1000
    assert stale["checks"]["queue"]["ok"] is True


def test_the_backlog_is_read_without_the_worker_s_task_modules(tmp_path, caplog):
    """The web process never imports the worker's tasks: reading the queue logs no traceback per task."""
    filename = str(tmp_path / "tasks.sqlite3")
    worker_side = SqliteHuey("wxops", filename=filename)

    @worker_side.task(name="only.in.the.worker")
    def job():
        """A task that only the worker's registry knows."""

    job()
    with caplog.at_level(logging.INFO, logger="huey"):
        queue, backlog = health.check_queue(SqliteHuey("wxops", filename=filename), 600, NOW)
    assert (queue.ok, queue.figure, backlog.ok, backlog.figure) == (True, 1, True, 1)
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING] == []
