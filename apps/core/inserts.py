"""insert_one(): Model.save() of a new row, with its INSERT statement written once per model instead of per call.

The ORM compiles an INSERT anew for every save(): for a report (19 columns) that was about 40% of the time
of storing it (bench/report_api_load.py). insert_one() does what save() does for a new row of a model
without a save() override or multi-table inheritance: field defaults and pre_save(), the pre_save/post_save
signals, the primary key read back, the instance marked as stored.
"""

import functools

from django.db import connections, router
from django.db.models.signals import post_save, pre_save

from apps.core.db import prepared_cursor


@functools.cache
def _statement(model, alias: str) -> tuple[str, list]:
    """The INSERT … RETURNING pk statement of `model` on a database, and the fields it sets, in order."""
    connection = connections[alias]
    q = connection.ops.quote_name
    fields = [f for f in model._meta.local_concrete_fields if not f.primary_key]
    columns = ", ".join(q(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    pk = q(model._meta.pk.column)
    # RETURNING: PostgreSQL, and SQLite since 3.35 (Django's own insert relies on it on both).
    sql = f"INSERT INTO {q(model._meta.db_table)} ({columns}) VALUES ({placeholders}) RETURNING {pk}"  # noqa: S608
    return sql, fields


def insert_one(instance):
    """Store a new instance (its primary key unset), as instance.save() would; return it."""
    model = type(instance)
    if not instance._state.adding or instance.pk is not None:
        raise ValueError("insert_one() stores new rows only")
    instance._prepare_related_fields_for_save(operation_name="save")  # refuses unsaved related objects
    alias = router.db_for_write(model, instance=instance)
    connection = connections[alias]
    pre_save.send(sender=model, instance=instance, raw=False, using=alias, update_fields=None)
    sql, fields = _statement(model, alias)
    params = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    with prepared_cursor(alias) as cursor:
        cursor.execute(sql, params)
        instance.pk = cursor.fetchone()[0]
    instance._state.adding, instance._state.db = False, alias
    post_save.send(sender=model, instance=instance, created=True, update_fields=None, raw=False, using=alias)
    return instance
