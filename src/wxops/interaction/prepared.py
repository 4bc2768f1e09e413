"""The callback's fixed statements on PostgreSQL: prepared once per connection, run on a kept cursor.

Django binds parameters on the client for psycopg 3 (its ``Cursor`` is a ``ClientCursor``, and
``prepare_threshold`` is off, so connection poolers keep working), and wraps a new cursor for
every statement: every callback's INSERT was written out as text in Python, sent, then parsed
and planned by the server, and a burst spent more on that than on storing. The callback runs the
same few statements thousands of times, so :func:`fetch` sends each once as a prepared statement
with ``$n`` placeholders (nothing to rewrite in Python) and then only executes it with its
parameters bound by the server, on one raw cursor kept for the connection. Prepared statements
live in the session: behind a pooler in transaction mode this needs one that keeps
protocol-level prepared statements (PgBouncer ≥ 1.21), see docs/settings.md.

Database errors are Django's (``IntegrityError`` …) as on any cursor. When queries are being
logged (``DEBUG``, tests capturing them) or an ``execute_wrapper`` is installed, the statement
runs on Django's ordinary cursor instead, so they see it as any other. So it does elsewhere
(SQLite); sqlite3 keeps its own statement cache.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

try:
    from psycopg import RawCursor
except ImportError:  # no psycopg 3: PostgreSQL is not in use
    RawCursor = None

_PLACEHOLDER = re.compile(r"%s")
#: Django connects with ``prepare_threshold=None``, which turns preparing off even when asked for.
#: Its ORM's cursors bind on the client and never prepare whatever the threshold; with one no
#: statement reaches, only the statements prepared here explicitly are.
_EXPLICIT_ONLY = 2**31 - 1
_numbered: dict[str, str] = {}  # statement with %s → the same with $1, $2, …


def _dollars(sql: str) -> str:
    numbered = _numbered.get(sql)
    if numbered is None:
        count = iter(range(1, 1 << 16))
        numbered = _numbered[sql] = _PLACEHOLDER.sub(lambda _match: f"${next(count)}", sql)
    return numbered


def fetch(sql: str, params: Sequence, db: BaseDatabaseWrapper | None = None) -> list[tuple]:
    """The rows of one fixed statement (``%s`` placeholders, as Django's; no literal ``%`` in it) on
    ``db``, this thread's connection (looked up when not given)."""
    db = db or connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql" or RawCursor is None or db.queries_logged or db.execute_wrappers:
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    db.ensure_connection()
    raw = db.connection
    kept = getattr(db, "_wxops_kept_cursor", None)
    if kept is None or kept.connection is not raw or kept.closed:
        if raw.prepare_threshold is None:
            raw.prepare_threshold = _EXPLICIT_ONLY
        kept = db._wxops_kept_cursor = RawCursor(raw)  # noqa: SLF001 - one per connection, dropped with it
    db.validate_no_broken_transaction()
    with db.wrap_database_errors:
        kept.execute(_dollars(sql), params, prepare=True)
        return kept.fetchall()
