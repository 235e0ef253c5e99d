"""Property: whatever happens to reports and people (reports made, corrected, hidden, deleted; breaches and
organisations joined and left; accounts erased), in whatever order, and whenever the queue is applied, the
incremental rollups equal a rebuild from scratch."""

import contextlib
from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.accounts.models import Membership
from apps.accounts.privacy import account_erase
from apps.breaches.models import Exposure
from apps.insights.rebuild import rollups_rebuild
from apps.insights.rollups import rollups_update
from apps.reports.limits import ReportRateLimited
from apps.reports.models import ContactReport
from apps.reports.moderation import report_hide, report_unhide
from apps.reports.services import report_correct, report_submit
from tests.insights.conftest import rollup_tables

pytestmark = pytest.mark.django_db

NUMBERS = ["+234 803 000 0001", "+92 300 1234567", "+880 1712 345678", "+39 06 1234 5678"]
CHANNELS = ["call", "sms", "silent_call", "whatsapp"]
START = datetime(2024, 10, 30, 21, 0, tzinfo=UTC)  # around midnight and a month's end in Italian time

a_report = st.tuples(st.just("report"), st.integers(0, 4), st.integers(0, 3), st.integers(0, 3), st.integers(0, 80))
# Every run starts with some reports, so that what happens to reports afterwards has something to act on.
first_reports = st.lists(a_report, min_size=2, max_size=8)
operations = st.lists(
    st.one_of(
        a_report,
        st.tuples(st.just("hide"), st.integers(0, 50)),
        st.tuples(st.just("unhide"), st.integers(0, 50)),
        st.tuples(st.just("delete"), st.integers(0, 50)),
        st.tuples(st.just("correct"), st.integers(0, 50), st.integers(0, 3), st.integers(0, 3), st.integers(0, 80)),
        st.tuples(st.just("expose"), st.integers(0, 4), st.booleans()),
        st.tuples(st.just("unexpose"), st.integers(0, 4)),
        st.tuples(st.just("join"), st.integers(0, 4), st.booleans()),
        st.tuples(st.just("leave"), st.integers(0, 4)),
        st.tuples(st.just("erase"), st.integers(0, 4)),
        st.tuples(
            st.just("apply"),
        ),
    ),
    min_size=1,
    max_size=25,
)


class Rollback(Exception):
    pass


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(first=first_reports, steps=operations)
def test_incremental_rollups_always_equal_a_rebuild(world, make_person, first, steps):
    try:
        with transaction.atomic():
            _play(world, make_person, first + steps)
            rollups_update()
            incremental = rollup_tables()
            rollups_rebuild()
            assert rollup_tables() == incremental
            raise Rollback
    except Rollback:
        pass


def _play(world, make_person, steps):
    officer = make_person(f"officer-{id(steps)}@example.org", is_staff=True)
    people = [world.person(f"p{i}-{id(steps)}") for i in range(5)]
    alive = set(range(5))
    for step in steps:
        kind, *args = step
        reports = list(ContactReport.objects.order_by("pk"))
        if kind == "report" and args[0] in alive:
            who, number, channel, hours = args
            with contextlib.suppress(ReportRateLimited):  # a long random run may pass a daily limit: fine
                report_submit(
                    reporter=people[who],
                    caller_number=NUMBERS[number],
                    channel=CHANNELS[channel],
                    occurred_at=START + timedelta(hours=hours * 7),
                    script="fake_amazon_voucher" if channel % 2 and CHANNELS[channel] != "silent_call" else "",
                    impersonated_brand="Amazon" if hours % 3 == 0 and CHANNELS[channel] != "silent_call" else "",
                )
        elif kind in ("hide", "unhide", "delete") and reports:
            report = reports[args[0] % len(reports)]
            if kind == "hide" and not report.hidden:
                report_hide(report=report, actor=officer, reason="test")
            elif kind == "unhide" and report.hidden:
                report_unhide(report=report, actor=officer)
            elif kind == "delete":
                report.delete()
        elif kind == "correct" and reports:
            # The reporter corrects the number, channel and time of one of their visible reports.
            report = reports[args[0] % len(reports)]
            if not report.hidden and report.reporter_id is not None:
                _, number, channel, hours = args
                with contextlib.suppress(ReportRateLimited):
                    report_correct(
                        report=report,
                        reporter=report.reporter,
                        caller_number=NUMBERS[number],
                        channel=CHANNELS[channel],
                        occurred_at=START + timedelta(hours=hours * 5),
                        impersonated_brand="Microsoft" if hours % 2 else "",
                    )
        elif kind == "expose" and args[0] in alive:
            breach = world.contest if args[1] else world.customers
            # Odd people are invited (their reports then count), even ones only declare (theirs never do).
            established = Exposure.Established.INVITATION if args[0] % 2 else Exposure.Established.SELF_DECLARED
            Exposure.objects.get_or_create(person=people[args[0]], breach=breach, established=established)
        elif kind == "unexpose" and args[0] in alive:
            Exposure.objects.filter(person=people[args[0]]).delete()
        elif kind == "join" and args[0] in alive:
            Membership.objects.get_or_create(person=people[args[0]], organisation=world.acme if args[1] else world.beta)
        elif kind == "leave" and args[0] in alive:
            Membership.objects.filter(person=people[args[0]]).delete()
        elif kind == "erase" and args[0] in alive:
            account_erase(person=people[args[0]])
            alive.discard(args[0])
        elif kind == "apply":
            rollups_update()
