"""Per-account limits on reporting, so one account cannot flood the statistics (PhoneBlock has a daily quota).

Counted from the reports themselves over the last 24 hours, so the limits hold across processes and
servers without a shared cache. A count read before another request's reports commit would let both pass,
so every write counts and inserts in one transaction that first takes reporter_lock().
"""

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection
from django.db.models import Count, Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.reports.models import ContactReport

WINDOW = timedelta(days=1)
# pg_advisory_xact_lock(namespace, key): the first number keeps these locks apart from any other advisory lock.
_LOCK_NAMESPACE = 0x5245  # "RE"(ports)
MAX_REPORTS_PER_DAY = 200
MAX_REPORTS_PER_NUMBER_PER_DAY = 10


class ReportRateLimited(Exception):
    """Raised instead of saving; `message` is for people, `retry_after` (seconds) for clients (HTTP 429)."""

    def __init__(self, message, *, retry_after: int):
        super().__init__(str(message))
        self.message = message
        self.retry_after = max(1, int(retry_after))


@dataclass
class Usage:
    """A reporter's reports in the last 24 hours: in total and per caller number (E.164)."""

    total: int
    per_number: Counter

    def add(self, e164: str, count: int = 1) -> None:
        """Count reports about to be saved (a bulk import checks each row against what precedes it)."""
        self.total += count
        self.per_number[e164] += count

    def check(self, e164: str, *, reporter) -> None:
        """Raise ReportRateLimited if one more report of `e164` would pass a limit."""
        if self.total + 1 > MAX_REPORTS_PER_DAY:
            raise ReportRateLimited(
                _(
                    "You have sent %(max)d reports in the last 24 hours, the most one account can send. "
                    "Thank you: please try again later."
                )
                % {"max": MAX_REPORTS_PER_DAY},
                retry_after=seconds_until_room(reporter),
            )
        if self.per_number[e164] + 1 > MAX_REPORTS_PER_NUMBER_PER_DAY:
            raise ReportRateLimited(
                _(
                    "You have already reported this number %(max)d times in the last 24 hours. "
                    "Your reports of it are counted once anyway."
                )
                % {"max": MAX_REPORTS_PER_NUMBER_PER_DAY},
                retry_after=seconds_until_room(reporter, e164=e164),
            )


def _recent(reporter):
    return ContactReport.objects.of_reporter(reporter).filter(created_at__gte=timezone.now() - WINDOW)


def seconds_until_room(reporter, *, e164: str | None = None) -> float:
    """When the oldest report counted against the limit (of `e164`, or in total) leaves the window."""
    recent = _recent(reporter).filter(caller__e164=e164) if e164 else _recent(reporter)
    oldest = recent.aggregate(oldest=Min("created_at"))["oldest"]
    return ((oldest + WINDOW) - timezone.now()).total_seconds() if oldest else WINDOW.total_seconds()


def reporter_usage(reporter) -> Usage:
    """The reporter's usage in total and per number (E.164), for checking many reports at once."""
    rows = list(_recent(reporter).values("caller__e164").annotate(n=Count("id")))
    return Usage(
        total=sum(row["n"] for row in rows),
        per_number=Counter({row["caller__e164"]: row["n"] for row in rows}),
    )


def reporter_lock(reporter) -> None:
    """Hold the reporter's reporting lock until the current transaction ends: a concurrent write of the same
    reporter waits here, and counts after this one's reports are committed (or rolled back). Others go on.

    PostgreSQL: a transaction-level advisory lock on the reporter's id (no row is locked, so a login updating
    the account does not wait). SQLite: nothing to do, every write transaction begins IMMEDIATE (settings.py),
    which already lets one writer in at a time.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("reporter_lock() must be taken inside the transaction that counts and inserts.")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, reporter.pk % 2**31])
