"""The callback's fixed statements (``interaction.prepared``): on PostgreSQL one raw cursor kept per
connection, prepared statements, Django's errors, and still seen when queries are logged."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from wxops.interaction import prepared

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_statement_gives_its_rows_on_either_database():
    assert prepared.fetch("SELECT %s + %s, %s", [2, 3, "社保"]) == [(5, "社保")]


def test_on_postgresql_the_cursor_is_kept_and_the_statement_prepared_once():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs on the connection's own cursor")
    prepared.fetch("SELECT %s::int", [1])
    kept = connection._wxops_kept_cursor  # noqa: SLF001 - the module's own cache
    prepared.fetch("SELECT %s::int", [2])
    assert connection._wxops_kept_cursor is kept  # noqa: SLF001
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement = 'SELECT $1::int'")
        assert cursor.fetchone() == (1,)


def test_a_new_connection_gets_a_new_cursor():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs on the connection's own cursor")
    prepared.fetch("SELECT 1", [])
    old = connection._wxops_kept_cursor  # noqa: SLF001
    connection.close()  # as after CONN_MAX_AGE, or a dead connection replaced
    assert prepared.fetch("SELECT CAST(%s AS TEXT)", ["again"]) == [("again",)]
    assert connection._wxops_kept_cursor is not old  # noqa: SLF001


def test_errors_are_djangos_and_the_connection_stays_usable():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE prepared_probe (k integer PRIMARY KEY)")
    prepared.fetch("INSERT INTO prepared_probe (k) VALUES (%s) RETURNING k", [1])
    with pytest.raises(IntegrityError):
        prepared.fetch("INSERT INTO prepared_probe (k) VALUES (%s) RETURNING k", [1])
    assert prepared.fetch("SELECT count(*) FROM prepared_probe WHERE k = %s", [1]) == [(1,)]


def test_logged_queries_see_the_statement():
    prepared.fetch("SELECT CAST(%s AS TEXT)", ["看得见"])  # prepared on PostgreSQL; logging must still see it
    with CaptureQueriesContext(connection) as queries:
        prepared.fetch("SELECT CAST(%s AS TEXT)", ["看得见"])
    assert [query["sql"] for query in queries.captured_queries] == ["SELECT CAST('看得见' AS TEXT)"]
