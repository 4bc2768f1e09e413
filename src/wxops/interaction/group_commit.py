"""Callbacks that arrive together in one web process share one commit on PostgreSQL (group commit).

Each callback's INSERT must be durable before WeChat is told "success" — a message WeChat was
told was received and then lost is never sent again. On PostgreSQL that means a commit that
waits for the WAL to reach the disk (0.4–0.6 ms here, more on network storage), and with one
commit per message the web process spends about half of a callback waiting for it. Here the
threads of one process (gunicorn's gthread workers) that insert at the same moment take turns
as a group: the first becomes the leader and writes every row waiting by then in one statement
on its own connection — one round trip, one commit, one WAL flush — while the others wait for
its outcome; whoever arrives during that commit is in the next group. Nothing is acknowledged before
its commit returned, so durability is what it was.

Each insert keeps its own outcome: the new row's id, or None when one of the table's unique keys
refused it (``ON CONFLICT DO NOTHING`` — a WeChat retry, or a replayed signature; of two rows of
one group with the same key, the first is written). Should the group's statement fail on one row
(a foreign key: the account was deleted meanwhile), nothing of it was written and each row is
written again alone, so one bad row fails only its own callback.
Any other database error reaches every caller of the group: none of them was committed (or, if
the commit's answer was lost on the way, WeChat's retry finds the row, as any retry does).

A lone row — the only one waiting, SQLite, or inside a transaction already — is the same statement
with one row.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from django.db import IntegrityError
from django.db.backends.base.base import BaseDatabaseWrapper

from . import prepared


class Interrupted(Exception):
    """The leader stopped before the group's outcome was known; the callback answers 503 and WeChat retries."""


class _Row:
    __slots__ = ("values", "key", "done", "pk", "error")

    def __init__(self, values: Sequence, key: tuple):
        self.values, self.key = values, key
        self.done, self.pk, self.error = False, None, None

    def outcome(self) -> int | None:
        if self.error is not None:
            raise self.error
        return self.pk


class Inserts:
    """``INSERT … ON CONFLICT DO NOTHING`` into ``table``, rows arriving together written together.

    ``columns`` are the row's columns in the order of its values; ``key`` names the columns of
    the unique key that tells the rows of a group apart (their values must be among the row's).
    """

    def __init__(self, table: str, columns: Sequence[str], key: Sequence[str]):
        self.table, self.columns, self.key = table, list(columns), list(key)
        self._key_at = [self.columns.index(name) for name in self.key]
        self._statements: dict[tuple[str, int], str] = {}
        self._turn = threading.Condition()
        self._waiting: list[_Row] = []
        self._leading = False

    def insert(self, values: Sequence, db: BaseDatabaseWrapper) -> int | None:
        """Write one row durably on ``db`` (this thread's connection): its new id, or None when a unique key refused it."""
        row = _Row(values, tuple(values[at] for at in self._key_at))
        if db.vendor != "postgresql" or db.in_atomic_block:
            self._write([row], db)
            return row.outcome()
        with self._turn:
            self._waiting.append(row)
            while self._leading and not row.done:
                self._turn.wait()
            if row.done:
                return row.outcome()
            self._leading = True
            group = self._waiting[:]
            self._waiting.clear()
        try:
            self._write(group, db)
        finally:
            with self._turn:
                for one in group:
                    if not one.done:  # the leader was interrupted (a worker's timeout): nothing is known
                        one.error, one.done = Interrupted("the group's commit was interrupted"), True
                self._leading = False
                self._turn.notify_all()
        return row.outcome()

    def _write(self, group: list[_Row], db: BaseDatabaseWrapper) -> None:
        """Every row of ``group`` in one statement (each alone if that fails on one); outcomes set."""
        try:
            self._run(group, db)
        except IntegrityError as error:
            if len(group) == 1:
                group[0].error = error
            else:
                for one in group:
                    try:
                        self._run([one], db)
                    except Exception as alone:  # noqa: BLE001 - handed to the callback that owns the row
                        one.error = alone
        except Exception as error:  # noqa: BLE001 - every row of the group shares its fate
            for one in group:
                one.pk, one.error = None, error
        for one in group:
            one.done = True

    def _run(self, group: list[_Row], db: BaseDatabaseWrapper) -> None:
        found = prepared.fetch(self._statement(len(group), db), [value for one in group for value in one.values], db)
        written = {tuple(row[1:]): row[0] for row in found}
        for one in group:
            one.pk = written.pop(one.key, None)  # a key twice in one group: the first row was written

    def _statement(self, rows: int, db: BaseDatabaseWrapper) -> str:
        sql = self._statements.get((db.vendor, rows))
        if sql is None:
            quote = db.ops.quote_name
            one = f"({', '.join(['%s'] * len(self.columns))})"
            sql = (f"INSERT INTO {quote(self.table)} ({', '.join(map(quote, self.columns))}) "  # noqa: S608 - model names
                   f"VALUES {', '.join([one] * rows)} ON CONFLICT DO NOTHING "
                   f"RETURNING {', '.join(map(quote, ['id', *self.key]))}")
            self._statements[db.vendor, rows] = sql
        return sql
