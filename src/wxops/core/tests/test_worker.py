"""`wxops worker` runs queued Django Tasks and the periodic scheduler, on SQLite and on Redis."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid

import pytest
import redis


def wxops(*args, env, **options):
    return subprocess.run([sys.executable, "-m", "wxops.cli", *args], env=env, timeout=300, **options)


def redis_available() -> bool:
    try:
        return redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.fixture(params=["sqlite", "redis"])
def worker_env(request, tmp_path):
    env = {**os.environ, "WXOPS_DATA_DIR": str(tmp_path), "WXOPS_TASKS_IMMEDIATE": "false"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if request.param == "redis":
        if not redis_available():
            pytest.skip("no Redis at 127.0.0.1:6379 (start one, e.g. `redis-server --daemonize yes`)")
        env["REDIS_URL"] = "redis://127.0.0.1:6379/15"
        # A queue of this run's own: parallel runs (CI, other engineers) share the Redis server.
        env["WXOPS_QUEUE_NAME"] = f"wxops_test_{uuid.uuid4().hex}"
    wxops("migrate", "-v0", env=env, check=True)
    yield env
    if "WXOPS_QUEUE_NAME" in env:
        server = redis.Redis.from_url(env["REDIS_URL"])
        for key in server.scan_iter(match=f"*{env['WXOPS_QUEUE_NAME']}*"):
            server.delete(key)


def wait_for(condition, seconds=60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


def test_worker_runs_an_enqueued_task_and_beats(worker_env, tmp_path):
    marker = tmp_path / f"{uuid.uuid4().hex}.txt"
    # Enqueued while no worker runs: it must wait in the queue (SQLite file or Redis).
    wxops("shell", "-c", f"from wxops.core.tests.marker_task import write_marker; "
                         f"write_marker.enqueue({str(marker)!r}, '你好')", env=worker_env, check=True)
    assert not marker.exists()
    if "REDIS_URL" in worker_env:
        queue_key = f"huey.redis.{worker_env['WXOPS_QUEUE_NAME']}"
        assert redis.Redis.from_url(worker_env["REDIS_URL"]).llen(queue_key) == 1

    worker = subprocess.Popen([sys.executable, "-m", "wxops.cli", "worker", "--workers", "1"], env=worker_env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert wait_for(marker.exists), "the worker never ran the queued task"
        assert marker.read_text(encoding="utf-8") == "你好"

        def beats():
            with sqlite3.connect(tmp_path / "wxops.sqlite3") as db:
                return db.execute("SELECT count FROM core_heartbeat WHERE name='worker'").fetchone()

        assert wait_for(beats), "the worker recorded no heartbeat"
    finally:
        worker.send_signal(signal.SIGINT)
        output, _ = worker.communicate(timeout=30)
    assert "Traceback" not in output
    expected_storage = "RedisHuey" if "REDIS_URL" in worker_env else "SqliteHuey"
    storage = wxops("shell", "-c", "from huey.contrib.djhuey import HUEY; print(type(HUEY).__name__)",
                    env=worker_env, capture_output=True, text=True, check=True).stdout.split()[-1]
    assert storage == expected_storage
