"""The simulator's storage: one SQLite database, in memory or in a file.

Every request of the simulated WeChat runs under one lock (``State.lock``): the simulator
serves a handful of clients, and a single writer keeps its rules (quotas, de-duplication,
token rotation) free of races without any further thought. Work that waits on the
network (callback delivery, injected latency) happens outside the lock.

A file database (``--state FILE``) keeps everything across restarts: accounts, tokens,
followers, drafts, sends, callbacks, the clock.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (app_id TEXT PRIMARY KEY, config TEXT NOT NULL, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS audiences (app_id TEXT PRIMARY KEY, profile TEXT NOT NULL, loaded_at REAL NOT NULL,
    planned_until TEXT);
CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, app_id TEXT NOT NULL, kind TEXT NOT NULL,
    issued_at REAL NOT NULL, expires_at REAL NOT NULL, revoked_at REAL);
CREATE INDEX IF NOT EXISTS tokens_slot ON tokens (app_id, kind, issued_at);
CREATE TABLE IF NOT EXISTS forced_refreshes (app_id TEXT NOT NULL, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS counters (app_id TEXT NOT NULL, name TEXT NOT NULL, period TEXT NOT NULL,
    count INTEGER NOT NULL, PRIMARY KEY (app_id, name, period));
CREATE TABLE IF NOT EXISTS media (media_id TEXT PRIMARY KEY, app_id TEXT NOT NULL, kind TEXT NOT NULL,
    filename TEXT, content_type TEXT, size INTEGER NOT NULL, url TEXT NOT NULL, data BLOB, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS drafts (media_id TEXT PRIMARY KEY, app_id TEXT NOT NULL, articles TEXT NOT NULL,
    created_at REAL NOT NULL, update_time REAL NOT NULL, removed_at REAL, removed_by TEXT);
CREATE TABLE IF NOT EXISTS mass_sends (msg_id INTEGER PRIMARY KEY, msg_data_id INTEGER NOT NULL, app_id TEXT NOT NULL,
    kind TEXT NOT NULL, draft_media_id TEXT, articles TEXT NOT NULL, content_key TEXT NOT NULL, target TEXT NOT NULL,
    clientmsgid TEXT NOT NULL, status TEXT NOT NULL, created_at REAL NOT NULL, due_at REAL NOT NULL,
    confirm_until REAL, total_count INTEGER, filter_count INTEGER, sent_count INTEGER, error_count INTEGER);
CREATE INDEX IF NOT EXISTS mass_sends_client ON mass_sends (app_id, clientmsgid, created_at);
CREATE TABLE IF NOT EXISTS articles (app_id TEXT NOT NULL, msg_data_id INTEGER NOT NULL, idx INTEGER NOT NULL,
    title TEXT NOT NULL, category TEXT NOT NULL, url TEXT NOT NULL, comments_open INTEGER NOT NULL,
    source TEXT NOT NULL, sent_at REAL NOT NULL, target_user INTEGER NOT NULL DEFAULT 0, has_source_url INTEGER NOT NULL,
    article_key TEXT NOT NULL, PRIMARY KEY (app_id, msg_data_id, idx));
CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, app_id TEXT NOT NULL, kind TEXT NOT NULL,
    msg_id INTEGER, content_key TEXT, openid TEXT NOT NULL, payload TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS outbox_by_key ON outbox (app_id, content_key, openid);
CREATE TABLE IF NOT EXISTS publishes (publish_id TEXT PRIMARY KEY, app_id TEXT NOT NULL, msg_data_id INTEGER NOT NULL,
    draft_media_id TEXT NOT NULL, articles TEXT NOT NULL, status INTEGER NOT NULL, outcome INTEGER NOT NULL,
    fail_idx TEXT NOT NULL, article_id TEXT, submitted_at REAL NOT NULL, due_at REAL NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS comments (id INTEGER PRIMARY KEY AUTOINCREMENT, app_id TEXT NOT NULL,
    msg_data_id INTEGER NOT NULL, idx INTEGER NOT NULL, user_comment_id INTEGER NOT NULL, openid TEXT NOT NULL,
    content TEXT NOT NULL, create_time REAL NOT NULL, elected INTEGER NOT NULL DEFAULT 0,
    reply_content TEXT, reply_time REAL, deleted INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS comments_article ON comments (app_id, msg_data_id, idx);
CREATE TABLE IF NOT EXISTS followers (app_id TEXT NOT NULL, openid TEXT NOT NULL, seq INTEGER NOT NULL,
    subscribed INTEGER NOT NULL, subscribe_time REAL NOT NULL, unsubscribe_time REAL, subscribe_scene TEXT NOT NULL,
    qr_scene INTEGER NOT NULL DEFAULT 0, qr_scene_str TEXT NOT NULL DEFAULT '', wxname TEXT, remark TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]', window_kind TEXT, window_opened REAL, window_used INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (app_id, openid));
CREATE INDEX IF NOT EXISTS followers_seq ON followers (app_id, seq);
CREATE TABLE IF NOT EXISTS tags (app_id TEXT NOT NULL, id INTEGER NOT NULL, name TEXT NOT NULL, PRIMARY KEY (app_id, id));
CREATE TABLE IF NOT EXISTS qrcodes (ticket TEXT PRIMARY KEY, app_id TEXT NOT NULL, action_name TEXT NOT NULL,
    scene_id INTEGER, scene_str TEXT, created_at REAL NOT NULL, expire_at REAL, url TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS activity (id INTEGER PRIMARY KEY AUTOINCREMENT, app_id TEXT NOT NULL, at REAL NOT NULL,
    day TEXT NOT NULL, kind TEXT NOT NULL, openid TEXT NOT NULL, msg_data_id INTEGER, idx INTEGER,
    detail INTEGER NOT NULL DEFAULT 0, times INTEGER NOT NULL DEFAULT 1);
CREATE INDEX IF NOT EXISTS activity_day ON activity (app_id, day, kind);
CREATE INDEX IF NOT EXISTS activity_article ON activity (app_id, msg_data_id, idx);
CREATE TABLE IF NOT EXISTS schedule (id INTEGER PRIMARY KEY AUTOINCREMENT, app_id TEXT NOT NULL, due_at REAL NOT NULL,
    kind TEXT NOT NULL, payload TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS schedule_due ON schedule (done, due_at);
CREATE TABLE IF NOT EXISTS callbacks (id INTEGER PRIMARY KEY AUTOINCREMENT, app_id TEXT NOT NULL, event TEXT NOT NULL,
    openid TEXT NOT NULL, msg_id TEXT, xml TEXT NOT NULL, created_at REAL NOT NULL, status TEXT NOT NULL,
    reply TEXT, reply_plain TEXT, fault TEXT);
CREATE INDEX IF NOT EXISTS callbacks_status ON callbacks (status);
CREATE TABLE IF NOT EXISTS callback_tries (id INTEGER PRIMARY KEY AUTOINCREMENT, callback_id INTEGER NOT NULL,
    attempt INTEGER NOT NULL, url TEXT NOT NULL, body TEXT NOT NULL, at REAL NOT NULL, wall_ms INTEGER NOT NULL,
    status_code INTEGER, reply TEXT, error TEXT);
CREATE TABLE IF NOT EXISTS api_calls (id INTEGER PRIMARY KEY AUTOINCREMENT, app_id TEXT, method TEXT NOT NULL,
    path TEXT NOT NULL, at REAL NOT NULL, errcode INTEGER NOT NULL, request TEXT, response TEXT, fault TEXT,
    rid TEXT, client_ip TEXT, wall_ms INTEGER);
CREATE INDEX IF NOT EXISTS api_calls_rid ON api_calls (rid);
CREATE TABLE IF NOT EXISTS faults (id INTEGER PRIMARY KEY AUTOINCREMENT, target TEXT NOT NULL, app_id TEXT,
    mode TEXT NOT NULL, errcode INTEGER, errmsg TEXT, latency_ms INTEGER NOT NULL DEFAULT 0, hold_ms INTEGER NOT NULL DEFAULT 0,
    publish_status INTEGER, remaining INTEGER NOT NULL, created_at REAL NOT NULL);
"""


class State:
    """A SQLite database shared by every thread of the simulator, guarded by ``lock``.

    ``path`` is a file name, or ``None`` / ``":memory:"`` for a database that lives as long
    as the process.
    """

    def __init__(self, path: str | None = None) -> None:
        self.path = path or ":memory:"
        self.lock = threading.RLock()
        self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        if self.path != ":memory:":
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
        self._add_columns("api_calls", {"rid": "TEXT", "client_ip": "TEXT", "wall_ms": "INTEGER"})
        self.db.executescript(SCHEMA)
        self._depth = 0

    def _add_columns(self, table: str, columns: dict[str, str]) -> None:
        """Bring a state file written by an older simulator up to date (new columns only)."""
        existing = {row[1] for row in self.db.execute(f"PRAGMA table_info({table})")}
        if not existing:
            return
        for name, kind in columns.items():
            if name not in existing:
                self.db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")

    @contextmanager
    def transaction(self) -> Iterator[State]:
        """Hold the lock and run the block in one transaction (nested blocks join the outer one)."""
        with self.lock:
            outer = self._depth == 0
            if outer:
                self.db.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield self
            except BaseException:
                self._depth -= 1
                if outer:
                    self.db.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outer:
                self.db.execute("COMMIT")

    def execute(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Cursor:
        with self.lock:
            return self.db.execute(sql, tuple(params))

    def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> None:
        with self.lock:
            self.db.executemany(sql, rows)

    def all(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self.lock:
            return self.db.execute(sql, tuple(params)).fetchall()

    def one(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        with self.lock:
            return self.db.execute(sql, tuple(params)).fetchone()

    def scalar(self, sql: str, params: Iterable[Any] = ()) -> Any:
        row = self.one(sql, params)
        return None if row is None else row[0]

    def meta(self, key: str, default: Any = None) -> Any:
        value = self.scalar("SELECT value FROM meta WHERE key = ?", (key,))
        return default if value is None else json.loads(value)

    def set_meta(self, key: str, value: Any) -> None:
        self.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, json.dumps(value)))

    def next_id(self, name: str, start: int) -> int:
        """A persistent counter: ``start`` the first time, then one more each call."""
        with self.transaction():
            value = int(self.meta(f"seq:{name}", start - 1)) + 1
            self.set_meta(f"seq:{name}", value)
            return value

    def close(self) -> None:
        with self.lock:
            self.db.close()
