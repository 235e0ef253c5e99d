"""Run an import: chunks of rows → worker processes (normalise + hash) → a staging table → one INSERT.

Why staging: the digests stream into a temporary table (COPY on PostgreSQL) outside any long transaction,
so progress written to DatasetImport is visible to the page that polls it; then one INSERT … SELECT DISTINCT
of the digests not stored yet (ON CONFLICT DO NOTHING on SQLite; an anti-join under a per-breach lock on
PostgreSQL, which is faster), inside one transaction with the DatasetImport update, makes the import
all-or-nothing and idempotent. A failure at any point leaves no ExposedIdentifier row from the run.
"""

import logging
import multiprocessing
import os
import struct
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from apps.breaches.importing import worker
from apps.breaches.importing.errors import ImportRejected
from apps.breaches.importing.reader import Chunk
from apps.breaches.models import DatasetImport, ExposedIdentifier

logger = logging.getLogger(__name__)

STAGING_TABLE = "breaches_import_staging"
# A chunk takes well under a second. Far longer means the workers cannot start (for example a script that
# starts an import without an `if __name__ == "__main__":` guard, which spawned workers re-run) and the pool
# would respawn them forever: fail the import instead of hanging.
CHUNK_TIMEOUT = 300
IMPORT_LOCK_SPACE = 4  # first key of pg_advisory_xact_lock(space, breach id): issue 4's imports


@dataclass
class Totals:
    """What the chunks added up to; `problems` keeps only the first DatasetImport.SKIPPED_ROWS_KEPT."""

    rows_read: int = 0
    phones_valid: int = 0
    emails_valid: int = 0
    skipped: int = 0
    invalid_values: int = 0
    problem_rows: int = 0
    problems: list = field(default_factory=list)

    def add(self, result: tuple, rows_read: int) -> None:
        phones, emails, skipped, invalid_values, problems = result
        self.rows_read = rows_read
        self.phones_valid += len(phones)
        self.emails_valid += len(emails)
        self.skipped += skipped
        self.invalid_values += invalid_values
        self.problem_rows += len(problems)
        room = DatasetImport.SKIPPED_ROWS_KEPT - len(self.problems)
        if room > 0:
            self.problems.extend(
                {"line": line, "reason": reason, "kept": kept} for line, reason, kept in problems[:room]
            )


def run(
    *,
    chunks: Iterator[Chunk],
    phone_count: int,
    breach_id: int,
    pepper: bytes,
    region: str,
    workers: int,
    total_bytes: int,
    progress: Callable[[int], None] | None,
    on_inserted: Callable[[Totals, dict], None],
) -> tuple[Totals, dict]:
    """Import the chunks; `on_inserted(totals, inserted)` runs inside the final transaction (to record the
    summary atomically with the rows). Returns (totals, {"phone": new rows, "email": new rows})."""
    stager = PostgresStager() if connection.vendor == "postgresql" else SqliteStager()
    totals = Totals()
    last_percent = -1
    started = time.monotonic()
    # Inside a caller's transaction (tests, a wrapping service) a savepoint lets a failure roll back cleanly.
    with transaction.atomic() if connection.in_atomic_block else nullcontext():
        stager.create()
        try:
            for result, chunk in _digests(chunks, phone_count, pepper, region, workers):
                stager.write(result[0], result[1])
                totals.add(result, chunk.rows_read)
                # Bytes read, not rows: the row count is unknown until the end. 100 only once stored.
                percent = min(99, chunk.bytes_read * 100 // max(total_bytes, 1))
                if progress and percent != last_percent:
                    progress(percent)
                    last_percent = percent
            read_seconds = time.monotonic() - started
            with transaction.atomic():
                inserted = stager.insert(breach_id)
                on_inserted(totals, inserted)
            logger.info(
                "Imported %s rows in %.1f s (reading and hashing %.1f s, inserting %.1f s)",
                totals.rows_read,
                time.monotonic() - started,
                read_seconds,
                time.monotonic() - started - read_seconds,
            )
        finally:
            stager.drop()
    if progress:
        progress(100)
    return totals, inserted


def _digests(chunks, phone_count, pepper, region, workers) -> Iterator[tuple[tuple, Chunk]]:
    pool = _start_pool(workers, pepper, region) if workers > 1 else None
    if pool is None:
        worker.init(pepper, region)
        for chunk in chunks:
            yield worker.process_chunk(chunk.rows, phone_count), chunk
        return
    with pool:  # terminates the workers on every way out, errors included
        # apply_async with a bounded queue rather than imap: imap reads its input to the end at once, which
        # would hold the whole file in memory. Two chunks per worker keep every core busy.
        pending = deque()
        for chunk in chunks:
            submitted = pool.apply_async(worker.process_chunk, (chunk.rows, phone_count))
            pending.append((submitted, Chunk([], chunk.rows_read, chunk.bytes_read)))  # the rows are sent
            if len(pending) >= 2 * workers:
                submitted, done = pending.popleft()
                yield submitted.get(timeout=CHUNK_TIMEOUT), done
        while pending:
            submitted, done = pending.popleft()
            yield submitted.get(timeout=CHUNK_TIMEOUT), done


def _start_pool(workers: int, pepper: bytes, region: str):
    """A pool of spawned workers, or None (the caller then works in-process) if processes cannot start."""
    context = multiprocessing.get_context("spawn")  # fork would copy the parent's open database connection
    current = multiprocessing.current_process()
    saved = dict(current._config)
    try:
        # In a Celery prefork child the current process is billiard's: daemonic, which multiprocessing refuses
        # children to (they could be orphaned), and with an authentication key it refuses to hand to spawned
        # processes. Neither concern applies: the pool is closed on every way out of _digests(), a worker
        # whose parent is killed reads end-of-file from its task pipe and exits, and the workers use no
        # authenticated connection. So both are set aside for the moment the workers start.
        current._config["daemon"] = False
        if type(current._config.get("authkey")) is not multiprocessing.process.AuthenticationString:
            current._config["authkey"] = multiprocessing.process.AuthenticationString(os.urandom(32))
        return context.Pool(workers, initializer=worker.init, initargs=(pepper, region))
    except Exception:
        logger.warning("Could not start %s import worker processes; importing in-process", workers, exc_info=True)
        return None
    finally:
        current._config.clear()
        current._config.update(saved)


class _Stager:
    table = STAGING_TABLE
    target = ExposedIdentifier._meta.db_table

    drop_sql = f"DROP TABLE IF EXISTS {STAGING_TABLE}"

    def drop(self) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute(self.drop_sql)
        except Exception:  # the connection may be the reason we are here; the table dies with the session
            logger.warning("Could not drop the import staging table", exc_info=True)


class PostgresStager(_Stager):
    """COPY in binary format into a temporary (unlogged, session-private) table."""

    _HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)
    _TRAILER = struct.pack("!h", -1)
    # Each tuple: 2 fields; the kind as text; the digest as 32 bytes of bytea.
    _PREFIX = {
        kind: struct.pack("!hi", 2, len(kind)) + kind.encode() + struct.pack("!i", 32) for kind in ("phone", "email")
    }

    def create(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(self.drop_sql)
            cursor.execute(f"CREATE TEMPORARY TABLE {self.table} (kind text NOT NULL, digest bytea NOT NULL)")

    def write(self, phones: list[bytes], emails: list[bytes]) -> None:
        if not phones and not emails:
            return
        parts = [self._HEADER]
        for kind, digests in (("phone", phones), ("email", emails)):
            if digests:
                prefix = self._PREFIX[kind]
                parts.append(prefix)
                parts.append(prefix.join(digests))
        parts.append(self._TRAILER)
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {self.table} (kind, digest) FROM STDIN (FORMAT BINARY)") as copy,
        ):
            copy.write(b"".join(parts))

    def insert(self, breach_id: int) -> dict:
        with connection.cursor() as cursor:
            # Imports into one breach run their final INSERT one at a time, so the anti-join below sees every
            # row another import committed and needs no ON CONFLICT (whose speculative insertion cost a
            # third more). FOR KEY SHARE keeps the breach from being deleted until this commits.
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [IMPORT_LOCK_SPACE, breach_id % 2**31])
            cursor.execute("SELECT 1 FROM breaches_breach WHERE id = %s FOR KEY SHARE", [breach_id])
            if cursor.fetchone() is None:
                raise ImportRejected(_("The breach was deleted during the import."))
            cursor.execute(f"ANALYZE {self.table}")
            cursor.execute("SET LOCAL work_mem = '256MB'")  # sort in memory; LOCAL ends with the transaction
            # Sorted by digest, the rows reach the primary key (digest, kind, breach) in index order.
            cursor.execute(
                f"""
                WITH inserted AS (
                    INSERT INTO {self.target} (digest, kind, breach_id)
                    SELECT DISTINCT s.digest, s.kind, %s::bigint FROM {self.table} s
                    WHERE NOT EXISTS (
                        SELECT 1 FROM {self.target} e
                        WHERE e.digest = s.digest AND e.kind = s.kind AND e.breach_id = %s
                    )
                    ORDER BY s.digest
                    RETURNING kind
                )
                SELECT kind, count(*) FROM inserted GROUP BY kind
                """,  # noqa: S608  (table names are this module's constants; values are parameters)
                [breach_id, breach_id],
            )
            return {"phone": 0, "email": 0} | dict(cursor.fetchall())


class SqliteStager(_Stager):
    """The embedded default: the same staging table, filled with executemany."""

    drop_sql = f"DROP TABLE IF EXISTS temp.{STAGING_TABLE}"

    def create(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(self.drop_sql)
            cursor.execute(f"CREATE TEMPORARY TABLE {self.table} (kind TEXT NOT NULL, digest BLOB NOT NULL)")

    def write(self, phones: list[bytes], emails: list[bytes]) -> None:
        rows = [("phone", digest) for digest in phones] + [("email", digest) for digest in emails]
        if rows:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {self.table} (kind, digest) VALUES (%s, %s)", rows)  # noqa: S608

    def insert(self, breach_id: int) -> dict:
        inserted = {}
        with connection.cursor() as cursor:
            for kind in ("phone", "email"):
                sql = (
                    f"INSERT INTO {self.target} (breach_id, kind, digest) "  # noqa: S608  (constant table names)
                    f"SELECT DISTINCT %s, kind, digest FROM {self.table} WHERE kind = %s ON CONFLICT DO NOTHING"
                )
                cursor.execute(sql, [breach_id, kind])
                inserted[kind] = cursor.rowcount
        return inserted
