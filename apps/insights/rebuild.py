"""The full rebuild: every rollup recomputed from the reports, in SQL (nightly, and `manage.py rebuild_insights`).

First the facts of all visible reports are grouped once into a temporary table (per contributor, local day,
hour, channel, script, brand, caller number and its enrichment), with the ORM so that local time is computed
the same way on PostgreSQL and SQLite; then each kind of cell is one INSERT … SELECT … GROUP BY over it,
once for everyone and once through the contributors' scopes. The cells are those of cells.cells_of(): the
incremental path and this one must give identical tables (tests/insights/test_rollups.py).
"""

import time
from itertools import product

from django.db import connection
from django.db.models import Count, DateField, F, Max
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncDate, TruncMonth

from apps.accounts.models import Membership
from apps.breaches.models import Exposure
from apps.insights.cells import ALL, BRAND, CARRIER, DAY, HOUR, LINE_TYPE, MONTH, local_zone
from apps.insights.models import (
    ALL_TIME,
    ANY,
    ContactRollup,
    ContributorScope,
    FacetRollup,
    NumberRollup,
    RollupChange,
)
from apps.insights.rollups import rollups_lock, snapshot_transaction
from apps.insights.scopes import desired_scope_ids, national_scope_id
from apps.reports.models import ContactReport

FACTS = "insights_rebuild_facts"


def rollups_rebuild() -> dict:
    """Recompute the rollups and the contributors' scopes from scratch; returns what it wrote and how long
    it took. Changes queued meanwhile stay queued and are applied on top afterwards."""
    started = time.monotonic()
    with rollups_lock(), snapshot_transaction():
        last_change = RollupChange.objects.aggregate(last=Max("pk"))["last"]
        if last_change is not None:
            RollupChange.objects.filter(pk__lte=last_change).delete()  # the reports already show them
        _sync_scopes()
        national = national_scope_id()
        with connection.cursor() as cursor:
            for model in (ContactRollup, FacetRollup, NumberRollup):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
            cursor.execute(f"DROP TABLE IF EXISTS {FACTS}")
            sql, params = _facts_query().query.sql_with_params()
            cursor.execute(f"CREATE TEMPORARY TABLE {FACTS} AS {sql}", params)
            for statement in _statements(national):
                cursor.execute(statement)
            cursor.execute(f"DROP TABLE {FACTS}")
        rows = {model.__name__: model.objects.count() for model in (ContactRollup, FacetRollup, NumberRollup)}
    return {"seconds": round(time.monotonic() - started, 3), **rows}


def _sync_scopes() -> None:
    """Set every living contributor's applied scopes to what their exposures and memberships say now;
    anonymous contributors (negative ids) keep theirs."""
    people = (
        set(Exposure.objects.values_list("person_id", flat=True).distinct())
        | set(Membership.objects.active().values_list("person_id", flat=True).distinct())
        | set(ContactReport.objects.filter(contributor__gt=0).values_list("contributor", flat=True).distinct())
        | set(ContributorScope.objects.filter(contributor__gt=0).values_list("contributor", flat=True).distinct())
    )
    desired = desired_scope_ids(people)
    ContributorScope.objects.filter(contributor__gt=0).delete()
    ContributorScope.objects.bulk_create(
        [ContributorScope(contributor=c, scope_id=s) for c in sorted(desired) for s in sorted(desired[c])],
        batch_size=5000,
    )


def _facts_query():
    tz = local_zone()
    return (
        ContactReport.objects.visible()
        .annotate(
            day=TruncDate("occurred_at", tzinfo=tz),
            month=TruncMonth("occurred_at", tzinfo=tz, output_field=DateField()),
            weekday=ExtractIsoWeekDay("occurred_at", tzinfo=tz),
            hour=ExtractHour("occurred_at", tzinfo=tz),
            brand=F("impersonated_brand"),
            country=F("caller__country"),
            line_type=F("caller__line_type"),
            carrier=F("caller__carrier"),
        )
        .values(
            "contributor",
            "day",
            "month",
            "weekday",
            "hour",
            "channel",
            "script",
            "brand",
            "caller_id",
            "country",
            "line_type",
            "carrier",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )


def _statements(national: int):
    """INSERT … SELECT statements, one per kind of cell and source (everyone / through scopes)."""
    q = connection.ops.quote_name
    all_time = f"DATE '{ALL_TIME.isoformat()}'" if connection.vendor == "postgresql" else f"'{ALL_TIME.isoformat()}'"
    periods = {DAY: "f.day", MONTH: "f.month", ALL: all_time}
    text = "TEXT"
    hour = f"CAST(CAST(f.weekday AS INTEGER) * 100 + CAST(f.hour AS INTEGER) AS {text})"
    facets = {
        HOUR: (hour, ""),
        LINE_TYPE: ("f.line_type", ""),
        CARRIER: ("f.country || ':' || f.carrier", ""),
        BRAND: ("f.brand", "f.brand <> ''"),
    }

    def insert(model, columns: list[tuple[str, str]], where: str = ""):
        """columns: (target column, expression); literals (quoted) are not grouped by."""
        grouped = [expr for _, expr in columns if not _is_literal(expr)]
        names = ", ".join([q("scope_id"), *(q(name) for name, _ in columns), "reports", "reporters"])
        select = ", ".join(expr for _, expr in columns)
        for source, scope_expr in (
            (f"{FACTS} f", str(national)),
            (f"{FACTS} f JOIN {q(ContributorScope._meta.db_table)} s ON s.contributor = f.contributor", "s.scope_id"),
        ):
            group = ", ".join([scope_expr, *grouped]) if scope_expr != str(national) else ", ".join(grouped)
            yield (
                f"INSERT INTO {q(model._meta.db_table)} ({names}) "  # noqa: S608
                f"SELECT {scope_expr}, {select}, SUM(f.n), COUNT(DISTINCT f.contributor) FROM {source} "
                f"{'WHERE ' + where if where else ''} {'GROUP BY ' + group if group else ''} HAVING COUNT(*) > 0"
            )

    def maybe(expr: str, any_: bool) -> str:
        return f"'{ANY}'" if any_ else expr

    for any_channel in (False, True):
        channel = maybe("f.channel", any_channel)
        yield from insert(
            ContactRollup,
            [("grain", f"'{DAY}'"), ("period", periods[DAY]), ("channel", channel), ("country", f"'{ANY}'"),
             ("script", f"'{ANY}'")],
        )  # fmt: skip
        for grain in (MONTH, ALL):
            for any_country, any_script in product((False, True), repeat=2):
                yield from insert(
                    ContactRollup,
                    [("grain", f"'{grain}'"), ("period", periods[grain]), ("channel", channel),
                     ("country", maybe("f.country", any_country)), ("script", maybe("f.script", any_script))],
                )  # fmt: skip
            for facet, (value, where) in facets.items():
                yield from insert(
                    FacetRollup,
                    [("grain", f"'{grain}'"), ("period", periods[grain]), ("facet", f"'{facet}'"),
                     ("channel", channel), ("value", value)],
                    where,
                )  # fmt: skip
            yield from insert(
                NumberRollup,
                [("grain", f"'{grain}'"), ("period", periods[grain]), ("channel", channel),
                 ("caller_id", "f.caller_id")],
            )  # fmt: skip
    yield from insert(
        NumberRollup,
        [("grain", f"'{DAY}'"), ("period", periods[DAY]), ("channel", f"'{ANY}'"), ("caller_id", "f.caller_id")],
    )


def _is_literal(expr: str) -> bool:
    return expr.startswith("'") or expr.startswith("DATE '")
