"""The access-token store every process of a deployment shares: a row per AppID in the
database, refreshed under a row lock so that processes never stampede WeChat.

Implements :class:`wxops.wechat.access_tokens.TokenStore`.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import transaction

from wxops.accounts.models import AccessTokenRecord
from wxops.wechat.access_tokens import AccessToken, Fetch, needs_fetch


class DatabaseTokenStore:
    def __init__(self, clock: Callable[[], float] = time.time):
        self._clock = clock

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
        # The row must exist before it can be locked; creating it races harmlessly.
        AccessTokenRecord.objects.get_or_create(app_id=app_id)
        with transaction.atomic():
            record = AccessTokenRecord.objects.select_for_update().get(app_id=app_id)
            current = self._token(record)
            if not needs_fetch(current, stale, self._clock()):
                return current  # type: ignore[return-value]
            token = fetch()
            record.value, record.expires_at = token.value, token.expires_at
            record.save(update_fields=["value", "expires_at", "updated_at"])
            return token
