"""The derived counters of a caller number, recomputed from its reports: caller_number_refresh().

It runs after every report, so it is written as three plain SQL statements rather than ORM queries: measured
on the 2-core benchmark machine with PostgreSQL, the ORM version took 5.4 ms per refresh, most of it
compiling the statements; this one takes about 1.1 ms, commit included (bench/report_api_load.py). They run
through apps.core.db.prepared_cursor(), so PostgreSQL does not plan the lock and the update anew each time.
The SQL is portable (PostgreSQL and SQLite); the tests run it on both.
"""

import functools

from django.db import connection, transaction
from django.utils import timezone

from apps.core.db import prepared_cursor
from apps.reports import scoring
from apps.reports.models import CallerNumber, ContactReport, NumberDispute

# Enrichment columns returned with the counters, so the API can answer without reading the row again.
ENRICHMENT = ("e164", "country", "country_name", "region", "carrier", "line_type", "valid", "possible")


@functools.cache
def _sql(vendor: str) -> dict[str, str]:
    """The statements for a database vendor. Only table names from the models are interpolated (S608)."""
    q = connection.ops.quote_name
    numbers, reports, disputes = (q(m._meta.db_table) for m in (CallerNumber, ContactReport, NumberDispute))
    lock = connection.ops.for_update_sql() if connection.features.has_select_for_update else ""
    visible = f"FROM {reports} WHERE caller_id = %s AND hidden = %s"
    lock_row = (
        f"is_allowlisted, {', '.join(ENRICHMENT)}, "  # noqa: S608
        # Legitimate evidence, one unit per signed-in person with an open dispute and one for all anonymous
        # ones together: whoever floods the form (the scammer, say) weighs no more than one claimant.
        f"(SELECT COALESCE(COUNT(DISTINCT raised_by_id) + MAX(CASE WHEN raised_by_id IS NULL THEN 1 ELSE 0 END), 0) "
        f"FROM {disputes} WHERE caller_id = %s AND status = %s) "
        f"FROM {numbers} WHERE id = %s {lock}"
    )
    return {
        # The row is locked before counting, so two reports committing together cannot leave the older
        # figures behind: whoever counts second sees both reports.
        "lock": f"SELECT {lock_row}",
        # The same in a transaction of its own on PostgreSQL, where it also makes that transaction's commit
        # asynchronous (SET LOCAL synchronous_commit TO OFF, without a round trip of its own).
        "lock_async_commit": f"SELECT set_config('synchronous_commit', 'off', true), {lock_row}",
        # Each reporter is one unit of evidence per number (the contributor survives erasure anonymously).
        "count": "SELECT COUNT(*), COUNT(DISTINCT contributor), "
        f"COUNT(DISTINCT CASE WHEN low_weight = %s THEN contributor END) {visible}",
        # The dates are copied by the database itself, so no driver has to convert them.
        "update": f"UPDATE {numbers} SET first_seen = (SELECT MIN(occurred_at) {visible}), "  # noqa: S608
        f"last_seen = (SELECT MAX(occurred_at) {visible}), reports_count = %s, reporters_count = %s, "
        "evidence = %s, legitimate_evidence = %s, spam_confidence = %s, is_public = %s, refreshed_at = %s "
        "WHERE id = %s",
    }


def caller_number_refresh(number_id: int) -> dict | None:
    """Recompute one number's counters, evidence, confidence and visibility from its visible reports and open
    disputes; return the values written with the number's enrichment (None if there is no such number).

    Idempotent: the same reports give the same row whether they arrived one by one or all at once.
    """
    sql = _sql(connection.vendor)
    own_transaction = not connection.in_atomic_block
    # Derived data: if the server crashed in the next few milliseconds, losing these figures would cost nothing
    # (caller_numbers_rebuild() recomputes them), so a commit of their own need not wait for the disk. The
    # report itself was committed durably before; inside a caller's transaction its commit stays durable.
    async_commit = own_transaction and connection.vendor == "postgresql"
    with transaction.atomic(), prepared_cursor() as cursor:
        cursor.execute(
            sql["lock_async_commit" if async_commit else "lock"], [number_id, NumberDispute.Status.OPEN, number_id]
        )
        row = cursor.fetchone()
        if row is None:
            return None
        allowlisted, *enrichment, disputes = row[1:] if async_commit else row
        cursor.execute(sql["count"], [False, number_id, False])
        reports, reporters, full_weight = cursor.fetchone()
        evidence = scoring.evidence_of(reporters=reporters, full_weight_reporters=full_weight)
        derived = {
            "reports_count": reports,
            "reporters_count": reporters,
            "evidence": evidence,
            "legitimate_evidence": float(disputes),
            "spam_confidence": round(scoring.wilson_lower_bound(evidence, disputes), 4),
            "is_public": scoring.is_public(evidence=evidence, allowlisted=bool(allowlisted)),
            "refreshed_at": timezone.now(),
        }
        cursor.execute(
            sql["update"],
            [
                number_id,
                False,
                number_id,
                False,
                *list(derived.values())[:-1],
                connection.ops.adapt_datetimefield_value(derived["refreshed_at"]),
                number_id,
            ],
        )
    return {
        "id": number_id,
        "is_allowlisted": bool(allowlisted),
        **dict(zip(ENRICHMENT, enrichment, strict=True)),
        **derived,
        "valid": bool(enrichment[ENRICHMENT.index("valid")]),
        "possible": bool(enrichment[ENRICHMENT.index("possible")]),
    }
