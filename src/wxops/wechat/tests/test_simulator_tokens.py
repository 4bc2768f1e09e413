"""The client against the project's simulator: 4 processes × 500 calls share one SqliteTokenStore.

The simulator implements stable_token as WeChat does (the same token until 300 s before
expiry; a forced refresh invalidates the previous one), so a token war between processes
would show up as 40001/42001 answers.
"""

import multiprocessing
import threading

import pytest

from wxops.wechat.tests.loadworker import run_calls_star

testing = pytest.importorskip("wxops.simulator.testing")

PROCESSES = 4


@pytest.fixture
def sim():
    with testing.running_simulator() as handle:
        yield handle


def meet(barrier, pending) -> None:
    """Wait at ``barrier`` with the worker processes; if one of them failed instead, raise its error
    (a bare BrokenBarrierError after the timeout said nothing of why: seen once in CI)."""
    try:
        barrier.wait(timeout=240)
    except threading.BrokenBarrierError:
        # The pool's result is ready only once every worker returned; the workers give up on
        # their own barriers within the same timeout, so wait for them and raise the first
        # worker's own error (the cause), if any.
        pending.wait(timeout=300)
        if pending.ready():
            pending.get()
        raise


@pytest.mark.slow
def test_four_processes_times_500_calls_with_no_invalid_credential(sim, tmp_path):
    account = sim.register_account()
    args = (sim.url, account["app_id"], account["app_secret"], str(tmp_path / "tokens.sqlite3"), 500)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager:
        start = manager.Barrier(PROCESSES)
        with ctx.Pool(PROCESSES) as pool:
            results = pool.map(run_calls_star, [(*args, start)] * PROCESSES)
    assert [r["ok"] for r in results] == [500] * PROCESSES
    assert [r["errors"] for r in results] == [{}] * PROCESSES
    assert sum(r["rejected"] for r in results) == 0  # not one 40001/40014/42001 on the wire
    assert sum(r["token_fetches"] for r in results) == 1  # the others waited on the lock and reused it
    assert sum(r["forced_refreshes"] for r in results) == 0


@pytest.mark.slow
def test_a_token_expiring_mid_run_is_replaced_once_for_all_processes(sim, tmp_path):
    account = sim.register_account()
    args = (sim.url, account["app_id"], account["app_secret"], str(tmp_path / "tokens.sqlite3"), 100)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager:
        start, reached, resume = (manager.Barrier(n) for n in (PROCESSES, PROCESSES + 1, PROCESSES + 1))
        with ctx.Pool(PROCESSES) as pool:
            pending = pool.map_async(run_calls_star, [(*args, start, (reached, resume))] * PROCESSES)
            meet(reached, pending)
            sim.advance(seconds=7300)  # past the token's 7200 s life on the simulator's clock
            meet(resume, pending)
            results = pending.get(timeout=300)
    assert [r["ok"] for r in results] == [100] * PROCESSES
    assert [r["errors"] for r in results] == [{}] * PROCESSES  # every rejection healed by refresh-and-retry
    # At most one 42001 each, then the shared new token. A process whose first call after the pause
    # comes once another has already replaced the token reads the new one from the store and is
    # never refused (seen in CI on a busy machine: [1, 1, 0, 1]); at least one process meets the expiry.
    rejected = [r["rejected"] for r in results]
    assert max(rejected) == 1 and sum(rejected) >= 1, rejected
    assert sum(r["token_fetches"] for r in results) == 2  # the first token, and one replacement
    assert sum(r["forced_refreshes"] for r in results) == 0
