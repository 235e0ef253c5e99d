"""The linkage branch's planted scenarios (apps.insights.linkage.planted) written into the database, and reports
sent through the real API: compute_evidence() must recover what stats.py recovers from the same arrays, so the
database side loses and invents nothing (windows, members, controls, numbers' targets)."""

from datetime import UTC, datetime, timedelta

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.breaches.models import Exposure
from apps.insights.linkage import planted, stats
from apps.insights.linkage.compute import LINK_ALPHA, MIN_TARGETS, compute_evidence
from tests.insights.evidence_scenarios import (
    OCCURRED,
    PERIOD_END,
    PERIOD_START,
    make_breach,
    make_people,
    write_reports,
)

pytestmark = pytest.mark.django_db

SMALL = dict(breach_size=400, registered_fraction=0.25, controls=200, n_days=120, breach_day=60, onset_lag=10,
             background_rate=0.03, surge_rate=0.1, campaigns=2, numbers_per_campaign=4, decoys=5, noise_pool=2000,
             b_only=40)  # fmt: skip


def _write(scenario: planted.Scenario):
    """People with their windows (sign-up day = window start), exposures to A and B, and every contact."""
    a = make_breach("planted-a", occurred=scenario.day_date(scenario.breach_day))
    b = make_breach("planted-b", occurred=scenario.day_date(scenario.breach_day))
    people = User.objects.bulk_create(
        [
            User(
                email=f"planted{i}@example.org",
                date_joined=datetime.combine(scenario.day_date(start), datetime.min.time(), UTC) + timedelta(hours=9),
            )
            for i, start in enumerate(scenario.window_start)
        ]
    )
    exposures = [Exposure(person=people[i], breach=a, established="dataset_match") for i in range(len(people))
                 if scenario.in_a[i]]  # fmt: skip
    exposures += [Exposure(person=people[i], breach=b, established="invitation") for i in range(len(people))
                  if scenario.in_b[i]]  # fmt: skip
    Exposure.objects.bulk_create(exposures)
    rows = []
    for person, day, number in zip(scenario.contact_person, scenario.contact_day, scenario.contact_number, strict=True):
        when = datetime.combine(scenario.day_date(day), datetime.min.time(), UTC) + timedelta(hours=10)
        rows.append((people[person], scenario.numbers[number].e164, when, "call", {}))
    write_reports(rows)
    return a, b


def _period(scenario):
    return {"start": scenario.start, "end": scenario.day_date(scenario.n_days - 1)}


@pytest.mark.parametrize("seed", [21, 22])
def test_a_planted_scenario_in_the_database_gives_the_evidence_the_statistics_find_in_its_arrays(seed):
    scenario = planted.plant(seed=seed, **SMALL)
    a, _b = _write(scenario)

    evidence = compute_evidence(a, **_period(scenario))

    # The daily series the database gives are the scenario's own (nobody gets 5 contacts a day here).
    contacts, person_days = scenario.daily(scenario.in_a)
    assert evidence["daily"]["members"]["contacts"] == contacts.tolist()
    assert evidence["daily"]["members"]["person_days"] == person_days.tolist()
    onset = datetime.fromisoformat(evidence["onset"]["date"]).date()
    assert abs((onset - scenario.day_date(scenario.onset_day)).days) <= 3
    expected = {
        r.key
        for r in stats.attribute_numbers(_rows_after_breach(scenario), alpha=LINK_ALPHA, min_targets=MIN_TARGETS)
        if r.linked
    }
    linked = {row["e164"] for row in evidence["linked_numbers"]}
    assert linked == expected
    campaign = {scenario.numbers[i].e164 for i in scenario.number_indices(planted.CAMPAIGN)}
    assert len(linked & campaign) >= 0.95 * len(campaign)
    assert {row["explained_by"] for row in evidence["linked_numbers"] if row["e164"] in campaign} == {"planted-a"}


def _rows_after_breach(scenario):
    """stats.number_targets() on the scenario's contacts from the breach on (compute_evidence's rule)."""
    after = scenario.contact_day >= scenario.breach_day
    return stats.number_targets(
        scenario.keys, scenario.contact_number[after], scenario.contact_person[after], scenario.contact_day[after],
        scenario.window_start, scenario.window_end, scenario.in_a, min_targets=MIN_TARGETS,
    )  # fmt: skip


def test_a_planted_scenario_with_nothing_planted_gives_no_onset_and_links_no_campaign():
    scenario = planted.plant(seed=23, **{**SMALL, "onset_lag": None})
    a, _b = _write(scenario)

    evidence = compute_evidence(a, **_period(scenario))

    assert evidence["onset"] is None
    assert evidence["campaigns"] == [] or all(
        not set(c["numbers"]) & {n.e164 for n in scenario.numbers if n.kind == planted.CAMPAIGN}
        for c in evidence["campaigns"]
    )
    ratio = evidence["rate_ratio_vs_before"]
    assert ratio["low"] < 1 < ratio["high"]


def test_reports_sent_through_the_api_are_found_as_a_linked_campaign():
    breach = make_breach("api-contest")
    members = make_people("api-m", 20, breaches=[breach])
    controls = make_people("api-c", 40)
    background = [
        (person, f"+393351{i:06d}", datetime(2024, 11, 1 + i % 28, 10, tzinfo=UTC), "call", {})
        for i, person in enumerate(members + controls)
    ]
    write_reports(background)
    campaign = ["+2348031777701", "+2348031777702", "+2348031777703"]
    for i, person in enumerate(members):
        api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=person).key}")
        for j, number in enumerate(campaign):
            when = datetime(2025, 1, 20 + (i + j) % 10, 9, 30, tzinfo=UTC)
            body = {
                "caller_number": number.replace("+234", "00234 "),  # as typed
                "channel": "call",
                "occurred_at": when.isoformat(),
                "script": "fake_amazon_voucher",
                "caller_knew": ["name"],
            }
            response = api.post("/api/v1/reports/", body, format="json")
            assert response.status_code == 201, response.content

    evidence = compute_evidence(breach, start=PERIOD_START, end=PERIOD_END)

    assert {row["e164"] for row in evidence["linked_numbers"]} == set(campaign)
    (found,) = evidence["campaigns"]
    assert found["block"] == "+23480317777" and found["scripts"] == ["fake_amazon_voucher"]
    assert found["countries"] == ["NG"]
    assert evidence["caller_knowledge"]["categories"]["name"]["count"] == 60
    assert datetime.fromisoformat(found["first_seen"]).date() > OCCURRED
