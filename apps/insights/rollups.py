"""The incremental path: apply the queued changes (RollupChange) to the rollups, exactly.

A cell counts reports and *distinct* people, and a person leaves or enters a cell only when their own count
in it goes from or to zero. So the changes are applied per contributor: their reports now (the database)
and their reports as the rollups counted them (now, minus what the queued changes changed), under the scopes
applied before and desired now; the difference of the two, cell by cell, is added to the rollups. Doing it
for every queued contributor in one snapshot gives the rollups a full rebuild would give (rebuild.py), which
tests/insights/test_rollups.py checks after new reports, hides, deletions, erasures and scope changes.

One process applies changes at a time (rollups_lock); on PostgreSQL it reads one REPEATABLE READ snapshot,
so the queue and the reports it reads agree even while new reports keep arriving.
"""

import logging
from collections import defaultdict
from contextlib import contextmanager
from datetime import datetime

from django.db import OperationalError, connection, transaction
from django.db.models import F
from django.db.models.functions import Mod

from apps.insights import cache
from apps.insights.cells import CellKey, ReportFacts, cells_of, count_cells
from apps.insights.keys import keep_key, record_keys
from apps.insights.models import ContactRollup, ContributorScope, FacetRollup, NumberRollup, RollupChange, Scope
from apps.insights.perturbation import KEY_SPACE
from apps.insights.scopes import applied_scope_ids, desired_scope_ids
from apps.reports.models import CallerNumber, ContactReport

logger = logging.getLogger(__name__)

LOCK_KEY = 0x42_57_49_4E  # "BWIN": the PostgreSQL advisory lock that orders rollup writers
BATCH_CONTRIBUTORS = 500

# Per table: the model and the key columns after the scope, in the order cells.py puts them in a key.
TABLES = {
    "contact": (ContactRollup, ("grain", "period", "channel", "country", "script")),
    "facet": (FacetRollup, ("grain", "period", "facet", "channel", "value")),
    "number": (NumberRollup, ("grain", "period", "channel", "caller_id")),
}


class RollupDrift(RuntimeError):
    """The rollups disagree with the queue (a change was applied outside it): only a rebuild can repair."""


@contextmanager
def rollups_lock():
    """Let one process at a time write the rollups. On SQLite, write transactions are serialised anyway."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


@contextmanager
def snapshot_transaction():
    """A transaction that reads one snapshot of the database from its first statement (PostgreSQL); the
    caller retries on a serialisation failure. Inside an outer transaction (tests) it is a savepoint."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def rollups_update(*, batch: int = BATCH_CONTRIBUTORS) -> int:
    """Apply every queued change; returns how many changes were applied."""
    applied = 0
    with rollups_lock():
        while True:
            done = _with_retries(lambda: _apply_batch(batch))
            applied += done
            if not done:
                if applied:
                    cache.figures_changed()
                return applied


def _with_retries(work, attempts: int = 5):
    for attempt in range(attempts):
        try:
            return work()
        except OperationalError as error:  # PostgreSQL: could not serialize access (a concurrent moderation)
            if getattr(getattr(error, "__cause__", None), "sqlstate", None) != "40001" or attempt == attempts - 1:
                raise
            logger.info("Rollup update met a concurrent change; retrying")
    return 0


def _apply_batch(batch: int) -> int:
    with snapshot_transaction():
        contributors = list(
            RollupChange.objects.order_by("id").values_list("contributor", flat=True).distinct()[: batch * 4]
        )
        contributors = list(dict.fromkeys(contributors))[:batch]
        if not contributors:
            return 0
        changes = list(RollupChange.objects.filter(contributor__in=contributors).order_by("id"))
        apply_contributor_changes(contributors, changes)
        RollupChange.objects.filter(pk__in=[c.pk for c in changes]).delete()
        return len(changes)


def apply_contributor_changes(contributors: list[int], changes: list[RollupChange]) -> None:
    """Bring these contributors' part of the rollups up to date with the database (inside the lock)."""
    applied = applied_scope_ids(contributors)
    desired = desired_scope_ids(contributors)
    after = reports_now(contributors)
    changes_of: dict[int, list[RollupChange]] = defaultdict(list)
    for change in changes:
        changes_of[change.contributor].append(change)
    enrichment = _enrichment({c.before["caller_id"] for c in changes if c.before})
    deltas = Deltas()
    keys = record_keys(contributors)
    for contributor in contributors:
        before = _reports_as_counted(after.get(contributor, {}), changes_of[contributor], enrichment)
        _diff(
            before=before,
            after=after.get(contributor, {}),
            changed={c.report_id for c in changes_of[contributor] if c.report_id is not None},
            scopes_before=applied[contributor],
            scopes_after=desired[contributor],
            deltas=deltas,
            record_key=keys[contributor],
        )
    deltas.apply()
    _store_scopes(applied, desired, keys)


def reports_now(contributors: list[int]) -> dict[int, dict[int, ReportFacts]]:
    """The visible reports of each contributor, as the rollups count them."""
    found: dict[int, dict[int, ReportFacts]] = defaultdict(dict)
    for start in range(0, len(contributors), 1000):
        rows = (
            ContactReport.objects.visible()
            .filter(contributor__in=contributors[start : start + 1000])
            .values_list(
                "pk",
                "contributor",
                "occurred_at",
                "channel",
                "script",
                "curated_brand",  # the slug (reports.Brand): typed brands are never counted
                "caller_id",
                "caller__country",
                "caller__line_type",
                "caller__carrier",
            )
        )
        for pk, contributor, occurred_at, channel, script, brand, caller_id, country, line_type, carrier in rows:
            found[contributor][pk] = ReportFacts.of(
                occurred_at=occurred_at,
                channel=channel,
                script=script,
                brand=brand or "",
                caller_id=caller_id,
                country=country,
                line_type=line_type,
                carrier=carrier,
            )
    return found


def _enrichment(caller_ids: set[int]) -> dict[int, tuple[str, str, str]]:
    rows = CallerNumber.objects.filter(pk__in=caller_ids).values_list("pk", "country", "line_type", "carrier")
    return {pk: (country, line_type, carrier) for pk, country, line_type, carrier in rows}


def _reports_as_counted(now: dict[int, ReportFacts], changes: list[RollupChange], enrichment) -> dict:
    """The contributor's reports as the rollups hold them: the first queued change of each report says what
    counted before it."""
    before = dict(now)
    seen = set()
    for change in changes:
        if change.report_id is None or change.report_id in seen:
            continue
        seen.add(change.report_id)
        if change.before is None:
            before.pop(change.report_id, None)
        else:
            facts = change.before
            country, line_type, carrier = enrichment[facts["caller_id"]]
            before[change.report_id] = ReportFacts.of(
                occurred_at=datetime.fromisoformat(facts["occurred_at"]),
                channel=facts["channel"],
                script=facts["script"],
                brand=facts["brand"],
                caller_id=facts["caller_id"],
                country=country,
                line_type=line_type,
                carrier=carrier,
            )
    return before


def _diff(
    *, before: dict, after: dict, changed: set[int], scopes_before: set, scopes_after: set, deltas, record_key: int
) -> None:
    """Add to `deltas` what one contributor's change does to each cell: reports, people, and the cell key (the
    contributor's record key joins a cell they enter and leaves one they leave)."""
    kept = scopes_before & scopes_after
    if kept and changed:
        # Only the cells a changed report is (or was) in can differ in the scopes the contributor stays in.
        touched: set[CellKey] = set()
        for report_id in changed:
            for facts in (before.get(report_id), after.get(report_id)):
                if facts is not None:
                    touched.update(cells_of(facts))
        counted_before = count_cells(before.values(), only=touched)
        counted_after = count_cells(after.values(), only=touched)
        for key in touched:
            was, now = counted_before[key], counted_after[key]
            if was != now:
                entered = (now > 0) - (was > 0)
                for scope_id in kept:
                    deltas.add(scope_id, key, now - was, entered, entered * record_key)
    if scopes_before - scopes_after:
        for key, was in count_cells(before.values()).items():
            for scope_id in scopes_before - scopes_after:
                deltas.add(scope_id, key, -was, -1, -record_key)
    if scopes_after - scopes_before:
        for key, now in count_cells(after.values()).items():
            for scope_id in scopes_after - scopes_before:
                deltas.add(scope_id, key, now, 1, record_key)


def _store_scopes(applied: dict[int, set[int]], desired: dict[int, set[int]], keys: dict[int, int]) -> None:
    gone = [(c, s) for c, scopes in applied.items() for s in scopes - desired[c]]
    new = [ContributorScope(contributor=c, scope_id=s) for c, scopes in desired.items() for s in scopes - applied[c]]
    for contributor, scope_id in gone:
        ContributorScope.objects.filter(contributor=contributor, scope_id=scope_id).delete()
    ContributorScope.objects.bulk_create(new)
    # The scopes' registered people: living contributors only (an erased person's reports keep their scopes,
    # but the person is no longer registered).
    people: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for contributor, scope_id, sign in [(c, s, -1) for c, s in gone] + [(n.contributor, n.scope_id, 1) for n in new]:
        if contributor > 0:
            people[scope_id][0] += sign
            people[scope_id][1] += sign * keys[contributor]
    for scope_id, (count, key_sum) in sorted(people.items()):
        Scope.objects.filter(pk=scope_id).update(
            people=F("people") + count, people_ckey=Mod(F("people_ckey") + key_sum % KEY_SPACE, KEY_SPACE)
        )


class Deltas:
    """Changes to rollup cells, summed per (scope, cell), then written in a few statements per table."""

    def __init__(self):
        self.cells: dict[tuple[int, CellKey], list[int]] = defaultdict(lambda: [0, 0, 0])

    def add(self, scope_id: int, key: CellKey, reports: int, reporters: int, ckey: int = 0) -> None:
        cell = self.cells[(scope_id, key)]
        cell[0] += reports
        cell[1] += reporters
        cell[2] += ckey

    def apply(self) -> None:
        upserts: dict[str, list] = defaultdict(list)
        updates: dict[str, list] = defaultdict(list)
        adapt = connection.ops.adapt_datefield_value
        for (scope_id, (table, grain, period, *rest)), (reports, reporters, ckey) in self.cells.items():
            ckey %= KEY_SPACE  # added modulo KEY_SPACE in SQL, from a non-negative delta on both databases
            # One person leaving a cell as another enters it changes no count, but the cell's key all the same.
            if reports == 0 and reporters == 0 and ckey == 0:
                continue
            row = [scope_id, grain, adapt(period), *rest]
            # A cell that did not exist can only appear with reports and at most as many people, so any other
            # change is to a cell that exists. (The databases check a proposed row before they find it is a
            # conflict to update, so (0 reports, +1 person) could not go through the upsert.)
            new_cell_shape = reports >= 1 and 0 <= reporters <= reports
            (upserts if new_cell_shape else updates)[table].append((row, reports, reporters, ckey))
        with connection.cursor() as cursor:
            for table, rows in upserts.items():
                cursor.executemany(_upsert_sql(table), [(*row, *counts) for row, *counts in rows])
            for table, rows in updates.items():
                for row, *counts in rows:
                    cursor.execute(_shrink_sql(table), [*counts, *row])
                    if cursor.rowcount != 1:
                        raise RollupDrift(f"a {table} cell to change is missing: {row}")
                cursor.executemany(_delete_empty_sql(table), [row for row, *_ in rows])


def _columns(table: str) -> tuple[str, list[str]]:
    model, key = TABLES[table]
    q = connection.ops.quote_name
    return q(model._meta.db_table), [q("scope_id"), *(q(column) for column in key)]


def _upsert_sql(table: str) -> str:
    name, key = _columns(table)
    columns = ", ".join([*key, "reports", "reporters", "ckey"])
    return (
        f"INSERT INTO {name} ({columns}) VALUES ({', '.join(['%s'] * (len(key) + 3))}) "  # noqa: S608
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET reports = {name}.reports + excluded.reports, "
        # %% is a literal % in SQL that runs with parameters (psycopg, and Django's SQLite cursor alike)
        f"reporters = {name}.reporters + excluded.reporters, ckey = ({name}.ckey + excluded.ckey) %% {KEY_SPACE}"
    )


def _shrink_sql(table: str) -> str:
    name, key = _columns(table)
    where = " AND ".join(f"{column} = %s" for column in key)
    return (
        f"UPDATE {name} SET reports = reports + %s, reporters = reporters + %s, "  # noqa: S608
        f"ckey = (ckey + %s) %% {KEY_SPACE} WHERE {where}"
    )


def _delete_empty_sql(table: str) -> str:
    name, key = _columns(table)
    where = " AND ".join(f"{column} = %s" for column in key)
    return f"DELETE FROM {name} WHERE {where} AND reports = 0"  # noqa: S608


# --- Producers: the queue is written in the transaction that changes reports, exposures or memberships ------


def queue_report_changes(changes) -> None:
    RollupChange.objects.bulk_create(
        [RollupChange(contributor=c.contributor, report_id=c.report_id, before=c.before) for c in changes]
    )
    _update_after_commit()


def queue_scope_changes(person_ids) -> None:
    """The people's exposures or memberships changed: their reports may count in other scopes now."""
    RollupChange.objects.bulk_create([RollupChange(contributor=p) for p in sorted(set(person_ids)) if p])
    _update_after_commit()


def contributor_replaced(*, old: int, new: int) -> None:
    """An erasure moved a person's reports to an anonymous contributor: it keeps the person's scopes (as
    desired now: exposures and memberships are about to be deleted with the account), and the person's record
    key, so that no published figure changes."""
    keep_key(old=old, new=new)
    scopes = desired_scope_ids([old])[old]
    ContributorScope.objects.bulk_create([ContributorScope(contributor=new, scope_id=s) for s in sorted(scopes)])


def _update_after_commit() -> None:
    from apps.insights.tasks import update_rollups_soon

    transaction.on_commit(update_rollups_soon)
