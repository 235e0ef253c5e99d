"""prepared_cursor() (apps/core/db.py): Django's cursor wrapper, with statements PostgreSQL prepares."""

import pytest
from django.db import DatabaseError, connection

from apps.core.db import prepared_cursor

pytestmark = pytest.mark.django_db

STATEMENT = "SELECT COUNT(*) FROM accounts_user WHERE id = %s AND is_active = %s"


def test_it_runs_statements_with_parameters_and_counts_them_as_queries(django_assert_num_queries):
    with django_assert_num_queries(1), prepared_cursor() as cursor:
        cursor.execute(STATEMENT, [1, True])
        assert cursor.fetchone() == (0,)


def test_errors_are_djangos():
    with pytest.raises(DatabaseError), prepared_cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")


def test_on_postgresql_a_statement_that_keeps_running_is_prepared():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    for _ in range(6):  # psycopg prepares from the sixth run (settings: prepare_threshold=5)
        with prepared_cursor() as cursor:
            cursor.execute(STATEMENT, [1, True])

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]

    assert any("accounts_user" in statement for statement in prepared), prepared
