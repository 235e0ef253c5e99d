"""prepared_cursor(): a cursor for the hand-written statements that run on every report.

Django's PostgreSQL cursors bind parameters on the client: each statement reaches the server with its values
written into the SQL text, so PostgreSQL parses and plans it anew every time. Django chose that default
because some ORM queries fail with server-side binding (a parameter both selected and grouped by is two
different expressions to PostgreSQL); the statements run through this cursor are hand-written and have no
such construct. With server-side binding psycopg prepares a statement once it has run five times on a
connection (its prepare_threshold), and from then on PostgreSQL only executes it: on the benchmark machine
that took the token lookup from 0.19 to 0.03 ms of server time and a caller number's row lock from 0.18 to
0.03 ms (bench/report_api_load.py, bench/RESULTS.md). Prepared statements belong to a connection, which
Django keeps open between requests (CONN_MAX_AGE); a pooler in transaction mode would need them enabled.

Elsewhere (SQLite in development and tests) it is Django's ordinary cursor. Either way the cursor is Django's
wrapper: errors are Django's, and the queries are logged and counted like any other.
"""

from django.db import DEFAULT_DB_ALIAS, connections


def prepared_cursor(using: str = DEFAULT_DB_ALIAS):
    """A cursor of a database, used like connection.cursor() (as a context manager)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    # What connection.cursor() does, with the server-binding cursor class instead of the client-binding one.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        cursor = ServerBindingCursor(connection.connection)
    return connection.make_debug_cursor(cursor) if connection.queries_logged else connection.make_cursor(cursor)
