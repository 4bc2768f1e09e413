"""The access-token store every process of a deployment shares: a row per AppID in the
database, refreshed under a lease so that processes never stampede WeChat.

Implements :class:`wxops.wechat.access_tokens.TokenStore`. No database transaction is open while
WeChat is asked for a token: a process first takes the row's lease with one conditional
UPDATE (committed at once), then fetches, then writes the token and frees the lease. On
SQLite a transaction held across the call would keep the write lock for as long as WeChat
takes to answer (15 s were seen), and every callback of the account would wait behind it.

A process that finds the lease taken waits for the holder's token; a lease whose holder
died (``kill -9``) runs out after :attr:`DatabaseTokenStore.lease_seconds` and is taken over.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from wxops.accounts.models import AccessTokenRecord
from wxops.core import clock
from wxops.wechat.access_tokens import AccessToken, Fetch, needs_fetch

#: Longer than the client's slowest fetch (connect 5 s + read 20 s, retried twice on -1).
LEASE_SECONDS = 90.0


class DatabaseTokenStore:
    def __init__(self, clock: Callable[[], float] = time.time, *, lease_seconds: float = LEASE_SECONDS,
                 sleep: Callable[[float], None] = time.sleep):
        self._clock = clock
        self.lease_seconds = lease_seconds
        self._sleep = sleep

    def __repr__(self) -> str:
        return "DatabaseTokenStore()"

    @staticmethod
    def _token(record: AccessTokenRecord | None) -> AccessToken | None:
        if record is None or not record.value:
            return None
        return AccessToken(record.value, record.expires_at)

    def get(self, app_id: str) -> AccessToken | None:
        return self._token(AccessTokenRecord.objects.filter(app_id=app_id).first())

    def set(self, app_id: str, token: AccessToken) -> None:
        AccessTokenRecord.objects.update_or_create(
            app_id=app_id, defaults={"value": token.value, "expires_at": token.expires_at})

    def refresh(self, app_id: str, fetch: Fetch, *, stale: str | None = None) -> AccessToken:
        # The row must exist before its lease can be taken; creating it races harmlessly.
        AccessTokenRecord.objects.get_or_create(app_id=app_id)
        owner = uuid.uuid4().hex
        pause = 0.02
        while True:
            record = AccessTokenRecord.objects.get(app_id=app_id)
            now = self._clock()
            current = self._token(record)
            if not needs_fetch(current, stale, now):
                return current  # type: ignore[return-value]
            # Compare-and-set: free (or abandoned) lease AND still the token we just judged.
            taken = AccessTokenRecord.objects.filter(
                app_id=app_id, value=record.value, lease_until__lt=now,
            ).update(lease_owner=owner, lease_until=now + self.lease_seconds)
            if taken:
                return self._fetch_under_lease(app_id, owner, fetch)
            self._sleep(pause)  # another process is fetching: wait for its token
            pause = min(pause * 2, 0.5)

    def _fetch_under_lease(self, app_id: str, owner: str, fetch: Fetch) -> AccessToken:
        mine = AccessTokenRecord.objects.filter(app_id=app_id, lease_owner=owner)
        try:
            token = fetch()
        except BaseException:
            mine.update(lease_owner="", lease_until=0.0)
            raise
        # When our lease ran out and another process took over, its token wins; ours is
        # still valid for this call (stable_token hands out the same token meanwhile).
        mine.update(value=token.value, expires_at=token.expires_at, lease_owner="", lease_until=0.0,
                    updated_at=clock.now())
        return token
