"""The full rebuild: every rollup recomputed from the reports, in SQL (nightly, and `manage.py rebuild_insights`).

A cell counts reports and *distinct* people. The same SQL runs on PostgreSQL and SQLite, in three steps; the
cells are those of cells.cells_of(), and tests/insights/test_rollups.py proves that the incremental path and
this one give identical tables.

1. The facts of all visible reports are grouped once into a temporary table (per contributor, local day, hour,
   channel, script, brand, caller number and its enrichment), with the ORM so that local time is computed the
   same way on both databases. Each text or date value is then replaced by a small integer code (one
   dictionary per dimension, codes in the order of the values, 0 for "any"), so the groupings that follow
   hash and sort integers only.
2. Contributors with the same scopes share a *signature* (a few thousand at 100,000 people). Distinct people
   add up across disjoint groups of people, so each cell is counted per signature first: every contributor's
   facts are expanded into their cells and grouped per person and cell, then per signature and cell (SUM of
   reports, COUNT of people). This runs in batches of contributors in signature order, so that each batch's
   groupings stay in memory.
3. Each scope's cells are the sums over the signatures that hold the scope, decoded and written in the order
   of the table's unique index: on SQLite into the emptied tables; on PostgreSQL into fresh tables without
   indexes, which get the same indexes (built once, from presorted rows) and are swapped in at the end.

Measured on 2 cores (bench/RESULTS.md, issue 6): at 1 million reports the first version, one
INSERT … SELECT … COUNT(DISTINCT) per kind of cell and source over the facts joined to each contributor's
scopes, took 21 minutes, a third of it checking each new row's foreign keys at commit; this one takes 3.
"""

import re
import time
from collections import defaultdict

from django.db import connection
from django.db.models import CharField, Count, DateField, F, Max, Value
from django.db.models.functions import Coalesce, ExtractHour, ExtractIsoWeekDay, TruncDate, TruncMonth

from apps.accounts.models import Membership
from apps.breaches.models import Exposure
from apps.insights import cache
from apps.insights.cells import ALL, BRAND, CARRIER, DAY, HOUR, LINE_TYPE, MONTH, local_zone
from apps.insights.keys import record_keys
from apps.insights.models import (
    ALL_TIME,
    ANY,
    ContactRollup,
    ContributorScope,
    FacetRollup,
    NumberRollup,
    RollupChange,
    Scope,
)
from apps.insights.perturbation import KEY_SPACE
from apps.insights.rollups import rollups_lock, snapshot_transaction
from apps.insights.scopes import desired_scope_ids
from apps.reports.models import ContactReport

PREFIX = "insights_rebuild_"
RAW, FACTS, PEOPLE, SIGNATURES = (f"{PREFIX}{name}" for name in ("raw", "facts", "people", "signatures"))
BATCH_FACTS = 200_000  # facts per batch of contributors: a batch's per-person groupings fit in WORK_MEM
WORK_MEM = "256MB"  # PostgreSQL, for the rebuild's transaction only
GRAINS = {ALL: 1, DAY: 2, MONTH: 3}  # codes in the order of the values, as in the unique indexes
FACETS = {BRAND: 1, CARRIER: 2, HOUR: 3, LINE_TYPE: 4}
FRESH = "_rebuilt"  # suffix of the tables (and their indexes) a PostgreSQL rebuild fills before swapping them in


def rollups_rebuild() -> dict:
    """Recompute the rollups and the contributors' scopes from scratch; returns what it wrote and how long
    it took. Changes queued meanwhile stay queued and are applied on top afterwards."""
    started = time.monotonic()
    with rollups_lock(), snapshot_transaction():
        last_change = RollupChange.objects.aggregate(last=Max("pk"))["last"]
        if last_change is not None:
            RollupChange.objects.filter(pk__lte=last_change).delete()  # the reports already show them
        _sync_scopes()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
                cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")  # the swapped-in tables' indexes
                cursor.execute("SET LOCAL jit = off")  # compiling each batch's statements cost more than it saved
            _drop_temporary_tables(cursor)
            sql, params = _facts_query().query.sql_with_params()
            cursor.execute(f"CREATE TEMPORARY TABLE {RAW} AS {sql}", params)
            batches = _signatures_and_batches(cursor)
            all_time = _coded_facts(cursor)
            kinds = _kinds(all_time)
            for kind in kinds:
                cursor.execute(kind.partial_table_sql())
            for batch in range(batches):
                for kind in kinds:
                    cursor.execute(kind.per_signature_sql(), [batch])
            swap = connection.vendor == "postgresql"
            for kind in kinds:
                _analyze(cursor, kind.partial)
                target = _fresh_table(cursor, kind.model) if swap else _emptied_table(cursor, kind.model)
                cursor.execute(kind.per_scope_sql(target))
            _drop_temporary_tables(cursor)
            if swap:
                for kind in kinds:
                    _swap_in(cursor, kind.model)
        rows = {model.__name__: model.objects.count() for model in (ContactRollup, FacetRollup, NumberRollup)}
        cache.figures_changed()
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
    # Each scope's registered people and the sum of their record keys (Scope.people), as rollups._store_scopes()
    # keeps them: living contributors only.
    keys = record_keys(desired)
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for contributor, scope_ids in desired.items():
        for scope_id in scope_ids:
            totals[scope_id][0] += 1
            totals[scope_id][1] += keys[contributor]
    scopes = list(Scope.objects.only("pk"))
    for scope in scopes:
        scope.people, scope.people_ckey = totals[scope.pk][0], totals[scope.pk][1] % KEY_SPACE
    Scope.objects.bulk_update(scopes, ["people", "people_ckey"], batch_size=1000)


def _facts_query():
    tz = local_zone()
    return (
        ContactReport.objects.visible()
        .annotate(
            day=TruncDate("occurred_at", tzinfo=tz),
            month=TruncMonth("occurred_at", tzinfo=tz, output_field=DateField()),
            weekday=ExtractIsoWeekDay("occurred_at", tzinfo=tz),
            hour=ExtractHour("occurred_at", tzinfo=tz),
            brand=Coalesce(
                "curated_brand", Value(""), output_field=CharField()
            ),  # the slug (reports.Brand): typed brands are never counted
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


# --- Step 2: signatures and batches -------------------------------------------------------------------------


def _signatures_and_batches(cursor) -> int:
    """Write each contributor's signature, batch and record key, and each signature's scopes; returns the
    number of batches. Contributors in no scope (not proven) get signature 0, which holds no scope."""
    scopes_of: dict[int, tuple] = defaultdict(tuple)
    for contributor, scope_id in ContributorScope.objects.order_by("contributor", "scope_id").values_list(
        "contributor", "scope_id"
    ):
        scopes_of[contributor] += (scope_id,)
    cursor.execute(f"SELECT contributor, SUM(n) FROM {RAW} GROUP BY contributor")  # noqa: S608
    facts_of = dict(cursor.fetchall())
    signature_of: dict[tuple, int] = {(): 0}  # 0: in no scope at all
    for contributor in facts_of:
        signature_of.setdefault(scopes_of[contributor], len(signature_of))
    keys = record_keys(facts_of)
    people, batch, in_batch = [], 0, 0
    # In signature order, a signature falls in as few batches as possible (its cells are summed once per batch).
    for contributor in sorted(facts_of, key=lambda c: (signature_of[scopes_of[c]], c)):
        if in_batch >= BATCH_FACTS:
            batch, in_batch = batch + 1, 0
        people.append((contributor, signature_of[scopes_of[contributor]], batch, keys[contributor]))
        in_batch += facts_of[contributor]
    cursor.execute(
        f"CREATE TEMPORARY TABLE {PEOPLE} (contributor BIGINT, signature INTEGER, batch INTEGER, rkey BIGINT)"
    )
    cursor.execute(f"CREATE TEMPORARY TABLE {SIGNATURES} (signature INTEGER, scope_id BIGINT)")
    _insert_many(cursor, PEOPLE, people)
    _insert_many(
        cursor,
        SIGNATURES,
        [(signature, scope) for scopes, signature in signature_of.items() for scope in scopes],
    )
    return batch + 1 if people else 0


def _insert_many(cursor, table: str, rows: list[tuple]) -> None:
    if not rows:
        return
    placeholders = ", ".join(["%s"] * len(rows[0]))
    for start in range(0, len(rows), 5000):
        chunk = rows[start : start + 5000]
        values = ", ".join([f"({placeholders})"] * len(chunk))
        cursor.execute(f"INSERT INTO {table} VALUES {values}", [v for row in chunk for v in row])  # noqa: S608


# --- Step 1 (end): the facts with integer codes ---------------------------------------------------------------


def _dimensions() -> dict[str, list[str]]:
    """Each dictionary's values, as expressions over the raw facts `f` (a period is a day, a month or all time)."""
    as_date = "CAST({} AS DATE)" if connection.vendor == "postgresql" else "{}"
    return {
        "period": [as_date.format("f.day"), as_date.format("f.month")],
        "channel": ["f.channel"],
        "country": ["f.country"],
        "script": ["f.script"],
        "value": [
            "CAST(CAST(f.weekday AS INTEGER) * 100 + CAST(f.hour AS INTEGER) AS TEXT)",  # cells.hour_value()
            "f.line_type",
            "f.country || ':' || f.carrier",  # cells.carrier_value()
            "f.brand",
        ],
    }


def _coded_facts(cursor) -> int:
    """Build the dictionaries and the facts table with codes, signature and batch; returns the code of ALL_TIME."""
    all_time = f"'{ALL_TIME.isoformat()}'"
    if connection.vendor == "postgresql":
        all_time = f"DATE {all_time}"
    for name, expressions in _dimensions().items():
        selects = [f"SELECT DISTINCT {expression} AS value FROM {RAW} f" for expression in expressions]  # noqa: S608
        if name == "period":
            selects.append(f"SELECT {all_time} AS value")
        values = " UNION ".join(selects)
        cursor.execute(
            f"CREATE TEMPORARY TABLE {PREFIX}{name} AS SELECT ROW_NUMBER() OVER (ORDER BY value) AS code, value "  # noqa: S608
            f"FROM ({values}) v"
        )
        if name in ("channel", "country", "script"):
            cursor.execute(f"INSERT INTO {PREFIX}{name} (code, value) VALUES (0, '{ANY}')")  # noqa: S608
    expressions = _dimensions()
    lookups = [  # (column, dictionary, expression over f)
        ("day", "period", expressions["period"][0]),
        ("month", "period", expressions["period"][1]),
        ("channel", "channel", "f.channel"),
        ("country", "country", "f.country"),
        ("script", "script", "f.script"),
        *((f"{facet}_value", "value", expressions["value"][i]) for i, facet in enumerate((HOUR, LINE_TYPE, CARRIER,
                                                                                          BRAND))),
    ]  # fmt: skip
    columns = ", ".join(f"d_{column}.code AS {column}" for column, _, _ in lookups)
    joins = " ".join(
        f"JOIN {PREFIX}{dictionary} d_{column} ON d_{column}.value = {expression}"
        for column, dictionary, expression in lookups
    )
    cursor.execute(
        f"CREATE TEMPORARY TABLE {FACTS} AS SELECT p.signature, p.batch, p.rkey, f.contributor, f.caller_id, f.n, "  # noqa: S608
        f"{columns}, CASE WHEN f.brand <> '' THEN 1 ELSE 0 END AS has_brand "
        f"FROM {RAW} f JOIN {PEOPLE} p ON p.contributor = f.contributor {joins} ORDER BY p.batch"
    )
    cursor.execute(f"SELECT (SELECT COUNT(*) FROM {RAW}), (SELECT COUNT(*) FROM {FACTS})")  # noqa: S608
    raw, coded = cursor.fetchone()
    if raw != coded:  # a value missing from its dictionary would silently drop facts
        raise RuntimeError(f"rollups rebuild: {raw} facts but {coded} coded")
    cursor.execute(f"CREATE INDEX {FACTS}_batch ON {FACTS} (batch)")
    _analyze(cursor, FACTS)
    cursor.execute(f"DROP TABLE {RAW}")
    cursor.execute(f"SELECT code FROM {PREFIX}period WHERE value = {all_time}")  # noqa: S608
    return cursor.fetchone()[0]


# --- Steps 2 and 3: per signature, then per scope ---------------------------------------------------------------


class Kind:
    """One rollup table: its key columns as integer expressions over a fact `f` expanded by a row `x` of `cells`
    (the kinds of cell a report is in), and the dictionary that decodes each."""

    def __init__(self, model, columns: list[tuple[str, str, str]], cells: list[dict], where: str = ""):
        self.model, self.columns, self.cells, self.where = model, columns, cells, where
        self.partial = f"{PREFIX}{model._meta.model_name}"

    def partial_table_sql(self) -> str:
        columns = ", ".join(f"{name} BIGINT" for name, _, _ in self.columns)
        return (
            f"CREATE TEMPORARY TABLE {self.partial} "
            f"(signature INTEGER, {columns}, reports BIGINT, reporters BIGINT, ckey BIGINT)"
        )

    def per_signature_sql(self) -> str:
        """One batch of contributors: their facts expanded into cells, one row per person and cell, then per
        signature and cell: reports, distinct people and the sum of their record keys."""
        names = ", ".join(name for name, _, _ in self.columns)
        expressions = ", ".join(f"{expression} AS {name}" for name, expression, _ in self.columns)
        keys = list(self.cells[0])
        cells = " UNION ALL ".join("SELECT " + ", ".join(f"{cell[k]} AS {k}" for k in keys) for cell in self.cells)
        where = f"AND {self.where}" if self.where else ""
        return (
            f"INSERT INTO {self.partial} (signature, {names}, reports, reporters, ckey) "  # noqa: S608
            f"SELECT signature, {names}, SUM(n), COUNT(*), SUM(rkey) FROM ("
            f"SELECT f.signature, f.contributor, {expressions}, SUM(f.n) AS n, MAX(f.rkey) AS rkey "
            f"FROM {FACTS} f CROSS JOIN ({cells}) x WHERE f.batch = %s {where} "
            f"GROUP BY f.signature, f.contributor, {', '.join(str(i + 3) for i in range(len(self.columns)))}"
            f") per_person GROUP BY signature, {names}"
        )

    def per_scope_sql(self, target: str) -> str:
        """Every scope's cells: the sums over its signatures, sorted by their codes (nearly the order of the
        unique index, which then builds from presorted rows), decoded into `target`."""
        q = connection.ops.quote_name
        names = ", ".join(f"p.{name}" for name, _, _ in self.columns)
        decoded, joins = [], []
        for name, _, dictionary in self.columns:
            if dictionary in ("grain", "facet"):
                codes = GRAINS if dictionary == "grain" else FACETS
                decoded.append(f"CASE a.{name} " + " ".join(f"WHEN {c} THEN '{v}'" for v, c in codes.items()) + " END")
            elif dictionary:
                joins.append(f"JOIN {PREFIX}{dictionary} d_{name} ON d_{name}.code = a.{name}")
                decoded.append(f"d_{name}.value")
            else:
                decoded.append(f"a.{name}")
        unique = next(c for c in self.model._meta.constraints if c.name.endswith("_cell"))
        position = {"scope": 1, **{name: i + 2 for i, (name, _, _) in enumerate(self.columns)}}
        order = ", ".join(str(position[_column(f)]) for f in unique.fields)
        targets = ", ".join([q("scope_id"), *(q(name) for name, _, _ in self.columns), "reports", "reporters", "ckey"])
        group = ", ".join(str(i + 1) for i in range(len(self.columns) + 1))
        return (
            f"INSERT INTO {target} ({targets}) "  # noqa: S608
            f"SELECT a.scope, {', '.join(decoded)}, a.reports, a.reporters, a.ckey % {KEY_SPACE} FROM ("
            f"SELECT s.scope_id AS scope, {names}, SUM(p.reports) AS reports, SUM(p.reporters) AS reporters, "
            f"SUM(p.ckey) AS ckey "
            f"FROM {self.partial} p JOIN {SIGNATURES} s ON s.signature = p.signature GROUP BY {group} "
            f"ORDER BY {order}) a {' '.join(joins)}"
        )


def _kinds(all_time: int) -> list[Kind]:
    both = (0, 1)
    day, month, every = GRAINS[DAY], GRAINS[MONTH], GRAINS[ALL]
    period = f"CASE x.grain WHEN {day} THEN f.day WHEN {month} THEN f.month ELSE {all_time} END"

    def maybe(flag: str, column: str) -> str:
        return f"CASE WHEN x.{flag} = 1 THEN 0 ELSE f.{column} END"  # 0: the code of ANY

    contact_cells = [{"grain": day, "any_channel": c, "any_country": 1, "any_script": 1} for c in both] + [
        {"grain": g, "any_channel": c, "any_country": co, "any_script": s}
        for g in (month, every)
        for c in both
        for co in both
        for s in both
    ]
    facet_cells = [
        {"grain": g, "facet": f, "any_channel": c} for g in (month, every) for c in both for f in FACETS.values()
    ]
    number_cells = [{"grain": day, "any_channel": 1}] + [
        {"grain": g, "any_channel": c} for g in (month, every) for c in both
    ]
    value = " ".join(f"WHEN {FACETS[facet]} THEN f.{facet}_value" for facet in (HOUR, LINE_TYPE, CARRIER, BRAND))
    return [
        Kind(
            ContactRollup,
            [("grain", "x.grain", "grain"), ("period", period, "period"),
             ("channel", maybe("any_channel", "channel"), "channel"),
             ("country", maybe("any_country", "country"), "country"),
             ("script", maybe("any_script", "script"), "script")],
            contact_cells,
        ),
        Kind(
            FacetRollup,
            [("grain", "x.grain", "grain"), ("period", period, "period"), ("facet", "x.facet", "facet"),
             ("channel", maybe("any_channel", "channel"), "channel"), ("value", f"CASE x.facet {value} END", "value")],
            facet_cells,
            where=f"(x.facet <> {FACETS[BRAND]} OR f.has_brand = 1)",  # a report without a brand is in no brand cell
        ),
        Kind(
            NumberRollup,
            [("grain", "x.grain", "grain"), ("period", period, "period"),
             ("channel", maybe("any_channel", "channel"), "channel"), ("caller_id", "f.caller_id", "")],
            number_cells,
        ),
    ]  # fmt: skip


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(field_name: str) -> str:
    return "caller_id" if field_name == "caller" else field_name


# --- Where the rows go: emptied in place (SQLite), or a fresh table swapped in (PostgreSQL) ----------------------


def _emptied_table(cursor, model) -> str:
    cursor.execute(f"DELETE FROM {_table(model)}")  # noqa: S608
    return _table(model)


def _fresh_table(cursor, model) -> str:
    """An empty copy of the table (columns, defaults, identity, checks) without its indexes: filled in one go,
    indexed once, then swapped in by _swap_in(). Building an index once was several times faster than keeping
    it up to date row by row, and readers keep the old table until the commit, with no DELETE to vacuum."""
    fresh = f"{model._meta.db_table}{FRESH}"
    cursor.execute(f"DROP TABLE IF EXISTS {fresh}")
    cursor.execute(
        f"CREATE TABLE {fresh} (LIKE {_table(model)} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS)"
    )
    return fresh


def _swap_in(cursor, model) -> None:
    """Give the fresh table the old one's indexes and constraints (same names, same definitions), then put it in
    the old one's place. Readers wait only from the DROP to the commit."""
    table = model._meta.db_table
    fresh = f"{table}{FRESH}"
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(x.indexrelid), c.contype FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid "
        "LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid "
        "WHERE x.indrelid = %s::regclass ORDER BY x.indisprimary DESC, i.relname",
        [table],
    )
    indexes = cursor.fetchall()
    for name, definition, constraint in indexes:
        match = re.fullmatch(r"(CREATE (?:UNIQUE )?INDEX )(\S+)( ON )(\S+)( .*)", definition)
        if match is None or match[2] != name:
            raise RuntimeError(f"rollups rebuild: cannot read the definition of index {name}: {definition}")
        cursor.execute(f"{match[1]}{name}{FRESH}{match[3]}{fresh}{match[5]}")
        if constraint in ("p", "u"):
            kind = "PRIMARY KEY" if constraint == "p" else "UNIQUE"
            cursor.execute(f"ALTER TABLE {fresh} ADD CONSTRAINT {name}{FRESH} {kind} USING INDEX {name}{FRESH}")
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id'), pg_get_serial_sequence(%s, 'id')", [table, fresh])
    old_sequence, fresh_sequence = cursor.fetchone()
    cursor.execute(f"DROP TABLE {_table(model)}")
    cursor.execute(f"ALTER TABLE {fresh} RENAME TO {table}")
    for name, _, _ in indexes:
        cursor.execute(f"ALTER INDEX {name}{FRESH} RENAME TO {name}")  # renames its constraint too
    cursor.execute(f"ALTER SEQUENCE {fresh_sequence} RENAME TO {old_sequence.split('.')[-1]}")
    cursor.execute(f"ANALYZE {table}")


def _analyze(cursor, table: str) -> None:
    if connection.vendor == "postgresql":  # temporary tables get no statistics of their own
        cursor.execute(f"ANALYZE {table}")


def _drop_temporary_tables(cursor) -> None:
    names = [RAW, FACTS, PEOPLE, SIGNATURES, *(f"{PREFIX}{name}" for name in _dimensions())]
    names += [f"{PREFIX}{model._meta.model_name}" for model in (ContactRollup, FacetRollup, NumberRollup)]
    for name in names:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
