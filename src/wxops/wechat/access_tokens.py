"""Access-token storage shared by every process that calls WeChat for an account.

WeChat's ``/cgi-bin/stable_token`` hands out the same token to every caller while it is
valid, but a *forced* refresh invalidates the previous one; and the old
``/cgi-bin/token`` invalidates on every fetch. So processes must share one stored token
and must not all refresh at once ("token war"). A :class:`TokenStore` does both:

* ``get(app_id)`` / ``set(app_id, token)`` — the stored token with its expiry.
* ``refresh(app_id, fetch, stale=...)`` — under a lock held across processes, fetch a
  new token **only if** the stored one is missing, about to expire, or is still exactly
  the token that just failed (``stale``). If another process already replaced it, the
  replacement is returned and ``fetch`` is not called.

Two implementations: :class:`MemoryTokenStore` (one process) and
:class:`SqliteTokenStore` (a file shared by processes on one machine; WAL, busy timeout,
``BEGIN IMMEDIATE`` as the lock).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

__all__ = ["AccessToken", "Fetch", "MemoryTokenStore", "SqliteTokenStore", "TokenStore", "mask_secret", "needs_fetch"]

# Refresh this long before WeChat's expiry, so a token never dies in flight.
EXPIRY_MARGIN_SECONDS = 60.0


def mask_secret(value: str | None) -> str:
    """What a repr shows for a secret: ``'***'`` (or ``''`` when unset); never any of it."""
    return "'***'" if value else "''"


@dataclass(frozen=True)
class AccessToken:
    """An access token and the epoch second at which WeChat stops accepting it."""

    value: str
    expires_at: float

    def __repr__(self) -> str:
        return f"AccessToken(value={mask_secret(self.value)}, expires_at={self.expires_at:.0f})"

    def is_usable(self, now: float, margin: float = EXPIRY_MARGIN_SECONDS) -> bool:
        """True while more than ``margin`` seconds of life remain."""
        return bool(self.value) and self.expires_at - now > margin


Fetch = Callable[[], AccessToken]


@runtime_checkable
class TokenStore(Protocol):
    """Where the access token of each app id lives; see the module docstring."""

    def get(self, app_id: str) -> AccessToken | None:
        """The stored token (possibly expired), or ``None``."""

    def set(self, app_id: str, token: AccessToken) -> None:
        """Store ``token`` for ``app_id``, replacing any other."""

    def refresh(self, app_id: str, fetch: Fetch, *, stale: str | None = None) -> AccessToken:
        """Return a usable token, calling ``fetch`` under the lock only when needed.

        ``fetch`` is called when the stored token is missing or about to expire, or when
        ``stale`` is given and equals the stored token's value (it was rejected by WeChat).
        Exceptions from ``fetch`` propagate and leave the store unchanged.
        """


def needs_fetch(current: AccessToken | None, stale: str | None, now: float) -> bool:
    """The one rule every store applies under its lock: fetch when the stored token is
    missing, about to expire, or is exactly the ``stale`` token that WeChat just rejected."""
    if current is None or not current.is_usable(now):
        return True
    return stale is not None and current.value == stale




class MemoryTokenStore:
    """A token store for one process (tests, scripts). Thread-safe."""

    def __init__(self, clock: Callable[[], float] = time.time):
        self._tokens: dict[str, AccessToken] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def __repr__(self) -> str:
        return f"MemoryTokenStore(app_ids={sorted(self._tokens)!r})"

    def get(self, app_id: str) -> AccessToken | None:
        return self._tokens.get(app_id)

    def set(self, app_id: str, token: AccessToken) -> None:
        with self._lock:
            self._tokens[app_id] = token

    def refresh(self, app_id: str, fetch: Fetch, *, stale: str | None = None) -> AccessToken:
        with self._lock:
            current = self._tokens.get(app_id)
            if not needs_fetch(current, stale, self._clock()):
                return current  # type: ignore[return-value]
            token = fetch()
            self._tokens[app_id] = token
            return token


#: Between two attempts to set up a store file that another process is setting up.
SET_UP_RETRY_SECONDS = 0.05

_SCHEMA = """
CREATE TABLE IF NOT EXISTS wechat_access_token (
    app_id TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    expires_at REAL NOT NULL,
    updated_at REAL NOT NULL
)
"""


class SqliteTokenStore:
    """A token store in a SQLite file, safe for many processes on one machine.

    Each operation opens its own connection (so the store survives ``fork`` and threads).
    ``refresh`` takes SQLite's write lock with ``BEGIN IMMEDIATE`` before looking at the
    stored token and keeps it while fetching, so concurrent refreshers queue behind the
    first one and then see its token. ``busy_timeout`` must exceed the client's HTTP
    timeout for the fetch.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        busy_timeout: float = 30.0,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.path = os.fspath(path)
        self.busy_timeout = busy_timeout
        self._clock = clock
        self._sleep = sleep
        self._set_up()

    def __repr__(self) -> str:
        return f"SqliteTokenStore(path={self.path!r})"

    def _set_up(self) -> None:
        """WAL mode and the table. Switching a new file to WAL takes a write lock that SQLite does not wait
        for while another connection holds one (its deadlock rule skips the busy timeout), so processes that
        opened a new store together got an immediate "database is locked"; retried for the busy timeout."""
        attempts = max(1, round(self.busy_timeout / SET_UP_RETRY_SECONDS))
        for attempt in range(1, attempts + 1):
            conn = self._connect()
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute(_SCHEMA)
                return
            except sqlite3.OperationalError as error:
                if error.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY or attempt == attempts:
                    raise
            finally:
                conn.close()
            self._sleep(SET_UP_RETRY_SECONDS)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout={int(self.busy_timeout * 1000)}")
        return conn

    @staticmethod
    def _read(conn: sqlite3.Connection, app_id: str) -> AccessToken | None:
        row = conn.execute(
            "SELECT value, expires_at FROM wechat_access_token WHERE app_id = ?", (app_id,)
        ).fetchone()
        return AccessToken(row[0], float(row[1])) if row else None

    def _write(self, conn: sqlite3.Connection, app_id: str, token: AccessToken) -> None:
        conn.execute(
            "INSERT INTO wechat_access_token (app_id, value, expires_at, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(app_id) DO UPDATE SET value = excluded.value, "
            "expires_at = excluded.expires_at, updated_at = excluded.updated_at",
            (app_id, token.value, token.expires_at, self._clock()),
        )

    def get(self, app_id: str) -> AccessToken | None:
        conn = self._connect()
        try:
            return self._read(conn, app_id)
        finally:
            conn.close()

    def set(self, app_id: str, token: AccessToken) -> None:
        conn = self._connect()
        try:
            self._write(conn, app_id, token)
        finally:
            conn.close()

    def refresh(self, app_id: str, fetch: Fetch, *, stale: str | None = None) -> AccessToken:
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                current = self._read(conn, app_id)
                if not needs_fetch(current, stale, self._clock()):
                    conn.execute("COMMIT")
                    return current  # type: ignore[return-value]
                token = fetch()
                self._write(conn, app_id, token)
                conn.execute("COMMIT")
                return token
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        finally:
            conn.close()
