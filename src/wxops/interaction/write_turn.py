"""Callbacks take turns at SQLite's write lock through a file lock instead of SQLite's busy handler.

Two web processes inserting at once on SQLite: the one that finds the database locked sleeps in
SQLite's busy handler — 1, 2, 5, 10, 15 … ms, however soon the lock is free — and a burst of
callbacks lost much of its time there (more on a crowded machine, where the holder is often
descheduled). Waiting on an ``flock`` of a file beside the database instead, the next writer
wakes the moment the lock is released. Only the callback's one-statement insert takes its turn
this way; every other writer still meets SQLite's own lock and busy timeout, so correctness never
depends on it. PostgreSQL needs none of this.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.backends.base.base import BaseDatabaseWrapper

try:
    import fcntl
except ImportError:  # not on Linux or macOS: SQLite's busy handler alone
    fcntl = None

_opened: dict[tuple[int, str], int] = {}  # (process, lock file) → descriptor: never shared across a fork
_threads = threading.Lock()  # an flock does not exclude threads sharing its descriptor


def _descriptor(path: str) -> int:
    key = (os.getpid(), path)
    descriptor = _opened.get(key)
    if descriptor is None:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        _opened[key] = descriptor
    return descriptor


@contextmanager
def write_turn(db: BaseDatabaseWrapper) -> Iterator[None]:
    """Hold the callbacks' turn at the SQLite database ``db`` for one autocommitted statement (no-op elsewhere)."""
    name = str(db.settings_dict.get("NAME") or "") if db.vendor == "sqlite" else ""
    if fcntl is None or not name or ":memory:" in name or db.in_atomic_block:
        yield
        return
    descriptor = _descriptor(name + "-callbacks.lock")
    with _threads:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
