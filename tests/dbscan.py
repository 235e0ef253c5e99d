"""Read every text and binary column of every table, for tests that prove a secret is stored nowhere."""

from django.db import connection


def every_stored_value() -> list[tuple[str, str, object]]:
    """(table, column, value) for each non-null text or binary cell in the database."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [
                column.name
                for column in connection.introspection.get_table_description(cursor, table)
                if _is_text_or_binary(cursor, column)
            ]
            if not columns:
                continue
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                found.extend((table, name, value) for name, value in zip(columns, row, strict=True) if value)
    return found


def _is_text_or_binary(cursor, column) -> bool:
    field_type = connection.introspection.get_field_type(column.type_code, column)
    return field_type in {"CharField", "TextField", "BinaryField", "JSONField", "EmailField", "SlugField"}


def cells_containing(*needles: str | bytes) -> list[tuple[str, str]]:
    """(table, column) of every cell that holds any of `needles`, as text or as bytes."""
    hits = []
    for table, column, value in every_stored_value():
        blob = bytes(value) if isinstance(value, memoryview | bytes) else str(value).encode()
        for needle in needles:
            if (needle.encode() if isinstance(needle, str) else needle) in blob:
                hits.append((table, column))
    return hits
