import threading
import time

import pytest

from wxops.accounts.token_store import DatabaseTokenStore
from wxops.wechat.access_tokens import AccessToken

APP = "wx0123456789abcdef"


class CountingFetch:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return AccessToken(f"token-{self.calls}", time.time() + 7200)


@pytest.mark.django_db
def test_refresh_fetches_only_when_missing_expired_or_rejected():
    store, fetch = DatabaseTokenStore(), CountingFetch()
    assert store.get(APP) is None
    assert store.refresh(APP, fetch).value == "token-1"
    assert store.refresh(APP, fetch).value == "token-1"
    assert store.refresh(APP, fetch, stale="some-older-token").value == "token-1"
    assert fetch.calls == 1
    assert store.refresh(APP, fetch, stale="token-1").value == "token-2"
    store.set(APP, AccessToken("dying", time.time() + 5))
    assert store.refresh(APP, fetch).value == "token-3"
    assert fetch.calls == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_refreshers_fetch_once():
    store, fetch = DatabaseTokenStore(), CountingFetch()
    results, errors = [], []

    def worker():
        from django.db import connection

        try:
            results.append(store.refresh(APP, fetch).value)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results == ["token-1"] * 6
    assert fetch.calls == 1
