"""No work lost when a worker dies: `kill -9` of a real `wxops worker` mid-backlog, a new worker,
and every item is done exactly once; the dead worker's tasks are marked abandoned with the reason."""

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from huey import SqliteHuey

from wxops.core import task_recovery

ITEMS = 40


def wait_for(condition, seconds=240.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def lines(path):
    return path.read_text().split() if path.exists() else []


@pytest.mark.slow
@pytest.mark.parametrize("queue", ["sqlite", "redis"])
def test_a_worker_killed_mid_backlog_loses_nothing_and_does_nothing_twice(tmp_path, queue):
    if os.environ.get("DATABASE_URL"):
        pytest.skip("a test of the queue on its own SQLite database: the suite's SQLite run has it")
    env = {**os.environ, "WXOPS_DATA_DIR": str(tmp_path / "data"), "WXOPS_TASKS_IMMEDIATE": "false"}
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    if queue == "redis":
        import redis

        try:
            redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=1).ping()
        except redis.RedisError:
            pytest.skip("no Redis at 127.0.0.1:6379")
        env.update(REDIS_URL="redis://127.0.0.1:6379/15", WXOPS_QUEUE_NAME=f"wxops_test_{uuid.uuid4().hex}")
    try:
        _kill_mid_backlog(tmp_path, env)
    finally:
        if queue == "redis":
            server = redis.Redis.from_url(env["REDIS_URL"])
            for key in server.scan_iter(match=f"*{env['WXOPS_QUEUE_NAME']}*"):
                server.delete(key)


def _kill_mid_backlog(tmp_path, env):
    work = tmp_path / "work"
    work.mkdir()
    subprocess.run([sys.executable, "-m", "wxops.cli", "migrate", "-v0"], env=env, check=True, timeout=600)
    subprocess.run([sys.executable, "-m", "wxops.cli", "shell", "-c",
                    "from wxops.core.tests.marker_task import do_item_once\n"
                    f"for n in range({ITEMS}): do_item_once.enqueue({str(work)!r}, str(n))"],
                   env=env, check=True, timeout=600, capture_output=True)

    def worker():
        return subprocess.Popen([sys.executable, "-m", "wxops.cli", "worker", "--workers", "2", "--no-scheduler"],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    first = worker()
    try:
        # Kill it while it is in the middle of items: some started (logged a run) and have no effect yet.
        assert wait_for(lambda: len(lines(work / "effects.log")) >= 5)
        assert wait_for(lambda: len(lines(work / "runs.log")) > len(lines(work / "effects.log")))
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=60)
    finally:
        if first.poll() is None:
            first.kill()
    interrupted = set(lines(work / "runs.log")) - set(lines(work / "effects.log"))
    assert interrupted, "the kill landed between items; nothing to recover"

    second = worker()
    try:
        assert wait_for(lambda: len(lines(work / "effects.log")) == ITEMS), (
            f"lost: {sorted(set(map(str, range(ITEMS))) - set(lines(work / 'effects.log')), key=int)}")
    finally:
        second.send_signal(signal.SIGINT)
        second.wait(timeout=60)
    effects = lines(work / "effects.log")
    assert sorted(effects, key=int) == [str(n) for n in range(ITEMS)]  # every item, each exactly once
    assert all(lines(work / "runs.log").count(key) == 2 for key in interrupted)  # the killed ones ran again

    probe = subprocess.run(
        [sys.executable, "-m", "wxops.cli", "shell", "-c",
         "from huey.contrib.djhuey import HUEY\n"
         "records = [HUEY.serializer.deserialize(v) for k, v in HUEY.storage.result_items().items() "
         "if k.startswith('djt.')]\n"
         "print(sorted(r['status'] for r in records).count('RUNNING'), "
         "sum(1 for r in records if any('abandoned: worker' in e[1] for e in r['errors'])))"],
        env=env, capture_output=True, text=True, timeout=600)
    running, abandoned = map(int, probe.stdout.split()[-2:])
    assert running == 0  # no record says "running" for ever
    assert abandoned == len(interrupted)


def test_a_running_task_of_another_host_is_abandoned_only_when_stale(tmp_path):
    huey = SqliteHuey("recovery", filename=str(tmp_path / "q.sqlite3"))
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    record = {"status": "RUNNING", "worker_ids": ["elsewhere.4242"],
              "last_attempted_at": (now - timedelta(minutes=10)).isoformat(),
              "task_path": "wxops.core.tests.marker_task.write_marker", "args": ["/nonexistent", "x"], "kwargs": {}}
    assert task_recovery.abandoned_because(record, now) == ""  # it may still be running over there
    later = now + timedelta(minutes=25)
    assert task_recovery.abandoned_because(record, later).startswith("abandoned: started by elsewhere.4242")
    assert task_recovery.abandoned_because({**record, "status": "SUCCESSFUL"}, later) == ""
    huey.put_result("djt.old", {**record, "status": "SUCCESSFUL", "finished_at": (now - timedelta(days=8)).isoformat()})
    huey.put_result("djt.new", {**record, "status": "SUCCESSFUL", "finished_at": now.isoformat()})
    summary = task_recovery.recover(huey, now)
    assert (summary.requeued, summary.forgotten) == ([], 1)
    assert set(huey.storage.result_items()) == {"djt.new"}
    # A second recovery waits for one that runs; a lock left by a killed one expires.
    huey.put_if_empty(task_recovery.LOCK_KEY, now.isoformat())
    huey.put_result("djt.old", {**record, "status": "SUCCESSFUL", "finished_at": (now - timedelta(days=8)).isoformat()})
    assert task_recovery.recover(huey, now + timedelta(minutes=5)).forgotten == 0
    assert task_recovery.recover(huey, now + timedelta(minutes=11)).forgotten == 1
