"""Several processes share one SqliteTokenStore: no token war, no invalid-credential answers."""

import multiprocessing

import pytest

from wxops.wechat.tests.loadworker import run_calls_star

PROCESSES = 4


def _run(base_url, app_id, secret, store_path, calls):
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager:
        barrier = manager.Barrier(PROCESSES)
        with ctx.Pool(PROCESSES) as pool:
            return pool.map(run_calls_star, [(base_url, app_id, secret, store_path, calls, barrier)] * PROCESSES)


@pytest.mark.slow
def test_four_processes_share_one_token_against_the_local_stand_in(fake, tmp_path):
    fake.routes["/cgi-bin/user/get"] = lambda rec: {"total": 0, "count": 0, "next_openid": ""}
    results = _run(fake.base_url, fake.app_id, fake.app_secret, str(tmp_path / "tokens.sqlite3"), 200)
    assert [r["ok"] for r in results] == [200] * PROCESSES
    assert [r["errors"] for r in results] == [{}] * PROCESSES
    assert sum(r["rejected"] for r in results) == 0
    assert fake.invalid_credential_answers == 0
    assert fake.token_fetches == 1  # one process fetched; the others waited on the lock and reused it
