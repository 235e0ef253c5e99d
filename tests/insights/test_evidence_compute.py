"""compute_evidence() on scenarios planted through the database: it finds what is there, nothing that is not,
and says honestly when there is not enough data."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from apps.breaches.models import Exposure
from apps.insights.linkage.compute import compute_evidence
from apps.insights.linkage.gather import MAX_CONTACTS_PER_PERSON_DAY
from tests.insights.evidence_scenarios import (
    CAMPAIGN_BLOCK,
    OCCURRED,
    PERIOD_END,
    PERIOD_START,
    make_breach,
    make_people,
    plant,
    write_reports,
)

pytestmark = pytest.mark.django_db

PERIOD = {"start": PERIOD_START, "end": PERIOD_END}


def _codes(evidence) -> set[str]:
    return {reason["code"] for reason in evidence["not_enough_data"]}


def test_the_planted_onset_and_campaign_numbers_are_found():
    planted = plant(seed=1)

    evidence = compute_evidence(planted.breach, **PERIOD)

    onset = date.fromisoformat(evidence["onset"]["date"])
    assert abs((onset - planted.onset).days) <= 3
    assert evidence["onset"]["lag_from_occurred_days"] == (onset - OCCURRED).days
    assert date.fromisoformat(evidence["onset"]["low"]) <= onset <= date.fromisoformat(evidence["onset"]["high"])
    linked = {row["e164"] for row in evidence["linked_numbers"]}
    assert linked == set(planted.campaign)
    assert all(row["explained_by"] == planted.breach.slug for row in evidence["linked_numbers"])
    (campaign,) = evidence["campaigns"]
    assert campaign["block"] == CAMPAIGN_BLOCK and sorted(campaign["numbers"]) == sorted(planted.campaign)
    assert campaign["scripts"] == ["fake_amazon_voucher"]
    vs_controls = evidence["rate_ratio_vs_controls"]
    assert vs_controls["low"] > 2 and vs_controls["estimate"] > 3
    assert evidence["rate_ratio_vs_before"]["low"] > 2
    assert evidence["did"]["low"] > 1.5
    assert evidence["members"]["people"] == 40 and evidence["controls"]["people"] == 40


def test_nothing_is_found_when_nothing_is_planted():
    planted = plant(seed=2, surge=None)

    evidence = compute_evidence(planted.breach, **PERIOD)

    assert evidence["onset"] is None
    assert evidence["linked_numbers"] == [] and evidence["campaigns"] == []
    ratio = evidence["rate_ratio_vs_controls"]
    assert ratio["low"] < 1 < ratio["high"]
    assert _codes(evidence) == {"not_disclosed"}  # the only figure missing: no disclosure date was given


def test_what_the_callers_knew_and_their_silent_calls_are_counted():
    planted = plant(seed=3)

    evidence = compute_evidence(planted.breach, **PERIOD)

    knowledge = evidence["caller_knowledge"]
    assert knowledge["categories"]["contest_details"]["exposed"] is True
    assert knowledge["within_exposed"] == knowledge["with_knowledge"] > 0
    silent = ContactReportCount.silent_from(planted.campaign, since=OCCURRED)
    total = evidence["conduct"]["total"]
    assert total["silent_calls"] == silent and total["silent_without_noise"] == silent
    assert total["not_dropped_within_3s"] == silent
    assert evidence["conduct"]["campaigns"][CAMPAIGN_BLOCK]["over_3_per_100"] is True


class ContactReportCount:
    @staticmethod
    def silent_from(numbers, *, since):
        from apps.reports.models import ContactReport

        return ContactReport.objects.filter(
            caller__e164__in=numbers, channel="silent_call", occurred_at__date__gte=since
        ).count()


def test_a_campaign_fed_by_an_overlapping_breach_is_explained_by_that_breach():
    """Breach A's people are called by the campaign; many of them are in breach B too. B's evidence links the
    numbers (B's members are over-represented among the targets) but says A explains them."""
    a = make_breach("leak-a")
    b = make_breach("leak-b")
    only_a = make_people("only-a", 20, breaches=[a])
    both = make_people("both", 40, breaches=[a, b])
    only_b = make_people("only-b", 10, breaches=[b])
    outsiders = make_people("out", 100)
    campaign = [f"{CAMPAIGN_BLOCK}{i:02d}" for i in range(3)]
    rows = []
    for i, person in enumerate(only_a + both):
        for k in range(4):
            day = OCCURRED + timedelta(days=20 + (i + k) % 40)
            rows.append(
                (person, campaign[(i + k) % 3], datetime(day.year, day.month, day.day, 10, tzinfo=UTC), "call", {})
            )
    for i, person in enumerate(only_a + both + only_b + outsiders):  # a background for everyone
        day = PERIOD_START + timedelta(days=i % 150)
        rows.append((person, f"+3933900{i:05d}", datetime(day.year, day.month, day.day, 11, tzinfo=UTC), "call", {}))
    write_reports(rows)

    evidence = compute_evidence(b, **PERIOD)

    linked = {row["e164"]: row for row in evidence["linked_numbers"]}
    assert set(linked) == set(campaign)
    assert {row["explained_by"] for row in linked.values()} == {"leak-a"}
    assert {row["explained_by"] for row in compute_evidence(a, **PERIOD)["linked_numbers"]} == {"leak-a"}


def test_reports_before_a_persons_window_count_in_totals_but_not_in_rates():
    planted = plant(seed=4, surge=None, members=12, controls=12)
    late = planted.members[0]
    late.reporting_since = date(2025, 2, 1)
    late.save(update_fields=["reporting_since"])
    before_window = datetime(2025, 1, 10, 10, tzinfo=UTC)
    write_reports([(late, "+393399999999", before_window, "call", {})])

    evidence = compute_evidence(planted.breach, **PERIOD)

    assert evidence["members"]["reports"] == evidence["inputs"]["reports"] - evidence["controls"]["reports"]
    counted = sum(evidence["daily"]["members"]["contacts"])
    assert evidence["members"]["reports"] > counted  # the early report and the late person's earlier ones
    assert evidence["daily"]["members"]["person_days"][0] == 11  # the late person is not observed yet


def test_one_person_reporting_a_thousand_times_moves_neither_a_rate_nor_a_link():
    planted = plant(seed=5, surge=None)
    loud = planted.members[0]
    day = OCCURRED + timedelta(days=30)
    spam = [(loud, "+393311111111", datetime(day.year, day.month, day.day, 8 + i % 12, i % 60, tzinfo=UTC), "call", {})
            for i in range(1000)]  # fmt: skip
    write_reports(spam)

    evidence = compute_evidence(planted.breach, **PERIOD)

    index = (day - PERIOD_START).days
    assert evidence["daily"]["members"]["contacts"][index] <= MAX_CONTACTS_PER_PERSON_DAY + 10
    assert evidence["onset"] is None
    assert "+393311111111" not in {row["e164"] for row in evidence["linked_numbers"]}


def test_declared_members_are_neither_members_nor_controls():
    breach = make_breach()
    make_people("proven", 12, breaches=[breach])
    make_people("declared", 5, breaches=[breach], established=Exposure.Established.SELF_DECLARED)
    make_people("outside", 15)

    evidence = compute_evidence(breach, **PERIOD)

    assert evidence["members"]["people"] == 12 and evidence["controls"]["people"] == 15


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        ("few_members", "few_members"),
        ("no_dataset", "no_dataset"),
        ("no_reports", "no_reports"),
        ("no_window", "no_window"),
        ("future", "breach_in_future"),
    ],
)
def test_thin_data_gives_an_honest_reason_and_no_figure(setup, code):
    breach = make_breach(
        occurred=timezone.localdate() + timedelta(days=10) if setup == "future" else OCCURRED,
        with_dataset=setup != "no_dataset",
    )
    members = {"few_members": 4, "no_dataset": 4}.get(setup, 12)
    make_people("m", members, breaches=[breach])
    if setup == "no_window":
        make_people("late", 3, joined=date(2025, 6, 1), breaches=[breach])
    make_people("c", 12)
    if setup == "no_window":
        people = list(breach.exposures.values_list("person", flat=True))
        from apps.accounts.models import User

        write_reports(
            [(User.objects.get(pk=people[0]), "+393399999999", datetime(2025, 2, 1, 10, tzinfo=UTC), "call", {})]
        )

    evidence = compute_evidence(breach, **PERIOD)

    assert code in _codes(evidence)
    assert all(reason["message"] for reason in evidence["not_enough_data"])
    if setup != "no_window":
        assert evidence["rate_ratio_vs_controls"] is None and evidence["onset"] is None
        assert evidence["linked_numbers"] == []


@pytest.mark.parametrize(
    "utc",
    [
        datetime(2025, 1, 1, 22, 59, 59, 999_999, tzinfo=UTC),  # 23:59:59.999999 in Rome, winter
        datetime(2025, 1, 1, 23, 0, tzinfo=UTC),  # midnight in Rome
        datetime(2025, 7, 1, 21, 59, 59, tzinfo=UTC),  # summer time
        datetime(2025, 7, 1, 22, 0, tzinfo=UTC),
        datetime(2025, 3, 30, 0, 30, tzinfo=UTC),  # the night the clocks go forward
        datetime(2025, 10, 26, 22, 59, 59, 999_999, tzinfo=UTC),  # and back
    ],
)
def test_the_local_day_of_a_report_is_the_one_django_gives(utc):
    from django.db.models.functions import TruncDate

    from apps.insights.cells import local_zone
    from apps.insights.linkage.gather import LocalDate
    from apps.reports.models import ContactReport

    person = make_people("tz", 1)[0]
    write_reports([(person, "+393399999999", utc, "call", {})])

    row = ContactReport.objects.annotate(
        fast=LocalDate("occurred_at"), django=TruncDate("occurred_at", tzinfo=local_zone())
    )
    fast, django = row.values_list("fast", "django").get()
    assert str(fast) == str(django) == utc.astimezone(local_zone()).date().isoformat()


def test_people_of_a_breach_that_occurred_in_the_period_are_no_controls_but_still_count_as_targets():
    breach = make_breach("first")
    other = make_breach("second", occurred=OCCURRED + timedelta(days=30))
    long_ago = make_breach("old", occurred=date(2020, 1, 1))
    make_people("m", 12, breaches=[breach])
    make_people("other", 7, breaches=[other])
    make_people("old", 5, breaches=[long_ago])
    make_people("c", 11)

    evidence = compute_evidence(breach, **PERIOD)

    assert evidence["controls"]["people"] == 16  # 11 in no breach and 5 of a breach long before the period
    assert evidence["controls"]["excluding_people_of"] == ["second"]
