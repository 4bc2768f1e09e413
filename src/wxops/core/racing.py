"""Run one function in several threads at the same moment — for the tests that race workers.

Each thread waits at a barrier, calls ``fn``, and closes its own database connection (Django
opens one per thread; left open, it keeps a transaction's locks or blocks the test database's
teardown). What each call returned and what it raised are both collected, so a test asserts
on the outcomes and that nothing raised.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Race:
    results: list[Any] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)


def race(fn: Callable[[], Any], threads: int) -> Race:
    """Call ``fn`` in ``threads`` threads released together; return their results and errors."""
    from django.db import connection

    barrier = threading.Barrier(threads)
    outcome = Race()
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait()
            value = fn()
            with lock:
                outcome.results.append(value)
        except Exception as error:  # noqa: BLE001 - collected for the test to assert on
            with lock:
                outcome.errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return outcome
