import multiprocessing
import sqlite3
import threading

import pytest

from wxops.wechat.access_tokens import AccessToken, MemoryTokenStore, SqliteTokenStore, TokenStore


class Clock:
    def __init__(self, now=1_000_000.0):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture(params=["memory", "sqlite"])
def store_and_clock(request, tmp_path):
    clock = Clock()
    if request.param == "memory":
        return MemoryTokenStore(clock=clock), clock
    return SqliteTokenStore(tmp_path / "tokens.sqlite3", clock=clock), clock


def test_both_stores_satisfy_the_protocol(tmp_path):
    assert isinstance(MemoryTokenStore(), TokenStore)
    assert isinstance(SqliteTokenStore(tmp_path / "t.db"), TokenStore)


def test_get_set_round_trip(store_and_clock):
    store, _ = store_and_clock
    assert store.get("wx1") is None
    store.set("wx1", AccessToken("A", 1_007_200.0))
    assert store.get("wx1") == AccessToken("A", 1_007_200.0)
    assert store.get("wx2") is None


def test_refresh_fetches_only_when_missing_or_expiring(store_and_clock):
    store, clock = store_and_clock
    fetched = []

    def fetch():
        fetched.append(1)
        return AccessToken(f"T{len(fetched)}", clock() + 7200)

    assert store.refresh("wx1", fetch).value == "T1"
    assert store.refresh("wx1", fetch).value == "T1"
    clock.now += 7200 - 30  # inside the 60 s safety margin
    assert store.refresh("wx1", fetch).value == "T2"
    assert len(fetched) == 2


def test_refresh_with_stale_only_fetches_if_the_stale_token_is_still_stored(store_and_clock):
    store, clock = store_and_clock
    store.set("wx1", AccessToken("NEW", clock() + 7200))
    calls = []
    # Another process already replaced OLD with NEW: no fetch.
    assert store.refresh("wx1", lambda: calls.append(1) or AccessToken("X", 0), stale="OLD").value == "NEW"
    assert calls == []
    # NEW itself failed: fetch.
    assert store.refresh("wx1", lambda: AccessToken("NEWER", clock() + 7200), stale="NEW").value == "NEWER"


def test_a_failing_fetch_leaves_the_store_unchanged(store_and_clock):
    store, clock = store_and_clock
    store.set("wx1", AccessToken("A", clock() + 10))

    def fetch():
        raise RuntimeError("network down")

    with pytest.raises(RuntimeError):
        store.refresh("wx1", fetch)
    assert store.get("wx1") == AccessToken("A", clock() + 10)


def test_threads_refresh_once(store_and_clock):
    store, clock = store_and_clock
    fetched = []
    lock = threading.Lock()

    def fetch():
        with lock:
            fetched.append(1)
        return AccessToken("ONE", clock() + 7200)

    threads = [threading.Thread(target=store.refresh, args=("wx1", fetch)) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(fetched) == 1


def test_a_store_opened_while_another_process_sets_it_up_waits_instead_of_failing(tmp_path):
    """Another process holds the new file's write lock, half-way through setting it up. SQLite does not apply
    the busy timeout to the switch to WAL then: the store failed at once with "database is locked" (the cause
    of the multi-process token tests' BrokenBarrierError: one worker died before the start barrier)."""
    path = tmp_path / "tokens.sqlite3"
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    waits = []

    def sleep(seconds):  # the store waits once; meanwhile the other process finishes
        waits.append(seconds)
        if other.in_transaction:
            other.execute("COMMIT")

    store = SqliteTokenStore(path, sleep=sleep)
    other.close()

    assert len(waits) == 1
    store.set("wx1", AccessToken("A", 1_007_200.0))
    assert store.get("wx1") == AccessToken("A", 1_007_200.0)


def _race(path, counter_path, barrier):
    import time

    store = SqliteTokenStore(path)
    barrier.wait()

    def fetch():
        with open(counter_path, "a") as f:
            f.write("x")
        time.sleep(0.05)  # a slow fetch widens the race window
        return AccessToken("SHARED", time.time() + 7200)

    return store.refresh("wx1", fetch).value


def _race_worker(args):
    return _race(*args)


def test_processes_refresh_once_through_sqlite(tmp_path):
    path, counter = tmp_path / "tokens.sqlite3", tmp_path / "fetches.txt"
    SqliteTokenStore(path)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager:
        barrier = manager.Barrier(4)
        with ctx.Pool(4) as pool:
            values = pool.map(_race_worker, [(path, counter, barrier)] * 4)
    assert values == ["SHARED"] * 4
    assert counter.read_text() == "x"


def test_token_repr_masks_the_value():
    token = AccessToken("SECRET-TOKEN-VALUE-123456", 5.0)
    assert "SECRET" not in repr(token) and "123456" not in repr(token)
