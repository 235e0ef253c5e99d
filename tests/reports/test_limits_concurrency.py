"""The daily limits hold when one account sends several reports at the same moment (issue 9: three concurrent
bulk commits stored 600 reports against a 200-a-day limit). Real threads, each with its own connection.

PostgreSQL only: the embedded SQLite default serialises every writer (BEGIN IMMEDIATE, settings.py), so two
transactions never read the count together there; CI's PostgreSQL pass runs these."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from apps.reports import limits, services
from apps.reports.limits import ReportRateLimited
from apps.reports.models import ContactReport

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 3


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs concurrent transactions (CI's PostgreSQL pass)")


@pytest.fixture
def slow_insert(monkeypatch):
    """Each insert waits a little, so every thread has checked the limit before any has stored a report:
    without a lock around check and insert all of them would pass it."""
    real = services.report_create

    def slowly(**kwargs):
        time.sleep(0.1)
        return real(**kwargs)

    monkeypatch.setattr(services, "report_create", slowly)


def run_together(work) -> list:
    """work(i) in THREADS threads started at once; returns what each returned or raised."""
    barrier = threading.Barrier(THREADS)
    outcomes = [None] * THREADS

    def target(i):
        try:
            barrier.wait()
            outcomes[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test checks
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def rows(start: int, count: int) -> list[dict]:
    when = timezone.now() - timedelta(hours=1)
    return [
        {"caller_number": f"+92 300 {n:07d}", "channel": "call", "occurred_at": when - timedelta(minutes=n)}
        for n in range(start, start + count)
    ]


def test_concurrent_bulk_commits_cannot_pass_the_daily_ceiling(reporter, monkeypatch, slow_insert):
    monkeypatch.setattr(limits, "MAX_REPORTS_PER_DAY", 4)

    outcomes = run_together(lambda i: services.reports_submit_many(reporter=reporter, rows=rows(10 * i, 4)))

    assert ContactReport.objects.filter(reporter=reporter).count() == 4
    assert sum(isinstance(o, list) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, ReportRateLimited) for o in outcomes) == THREADS - 1, outcomes


def test_concurrent_single_reports_cannot_pass_the_daily_ceiling(reporter, monkeypatch, slow_insert):
    monkeypatch.setattr(limits, "MAX_REPORTS_PER_DAY", 2)

    outcomes = run_together(lambda i: services.report_submit(reporter=reporter, **rows(i, 1)[0]))

    assert ContactReport.objects.filter(reporter=reporter).count() == 2
    assert sum(isinstance(o, ReportRateLimited) for o in outcomes) == 1, outcomes


def test_concurrent_reports_of_one_number_cannot_pass_its_limit(reporter, monkeypatch, slow_insert):
    monkeypatch.setattr(limits, "MAX_REPORTS_PER_NUMBER_PER_DAY", 1)
    same = rows(1, 1)[0]

    def report_it(i):
        when = same["occurred_at"] - timedelta(minutes=i)  # not the same contact twice
        return services.report_submit(reporter=reporter, **{**same, "occurred_at": when})

    outcomes = run_together(report_it)

    assert ContactReport.objects.filter(reporter=reporter).count() == 1
    assert sum(isinstance(o, ReportRateLimited) for o in outcomes) == THREADS - 1, outcomes


def test_different_accounts_do_not_wait_for_each_other(make_reporters, monkeypatch, slow_insert):
    people = make_reporters(THREADS)
    started = time.monotonic()

    outcomes = run_together(lambda i: services.report_submit(reporter=people[i], **rows(i, 1)[0]))

    assert all(isinstance(o, ContactReport) for o in outcomes), outcomes
    assert time.monotonic() - started < 0.1 * THREADS  # the per-reporter lock is per reporter
