"""A cursor whose statements PostgreSQL parses and plans once per connection: the callback's hot path.

Django binds parameters on the client for psycopg 3 (its ``Cursor`` is a ``ClientCursor``, and
``prepare_threshold`` is off, so connection poolers keep working): every callback's INSERT is
written out as text in Python, sent, then parsed and planned by the server. The callback runs the
same two statements thousands of times, so they are sent once as prepared statements and then only
executed with their parameters bound by the server — less work in the web process and in the
database's. Prepared statements live in the session: behind a pooler in transaction mode this
needs one that keeps protocol-level prepared statements (PgBouncer ≥ 1.21), see docs/settings.md.

Elsewhere (SQLite) it is the connection's ordinary cursor; sqlite3 keeps its own statement cache.
The cursor goes through Django's wrappers, so query logging and ``execute_wrapper`` see it.
"""

from __future__ import annotations

from django.db import connection

try:
    from django.db.backends.postgresql.base import ServerBindingCursor
except ImportError:  # no psycopg 3: PostgreSQL is not in use
    ServerBindingCursor = None


if ServerBindingCursor is not None:
    class _PreparingCursor(ServerBindingCursor):
        """Server-side binding, and each statement prepared the first time this connection runs it."""

        def execute(self, query, params=None, *, prepare=True, binary=None):
            return super().execute(query, params, prepare=prepare, binary=binary)


def cursor():
    """A cursor for the hot path's fixed statements (``%s`` placeholders, as Django's)."""
    if connection.vendor != "postgresql" or ServerBindingCursor is None:
        return connection.cursor()
    connection.ensure_connection()
    return connection._prepare_cursor(_PreparingCursor(connection.connection))  # noqa: SLF001 - Django's wrapping
