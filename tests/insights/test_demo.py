"""What the union's secretary sees on the demo: figures that are shown, not hidden, and tell the story."""

import io
import time
from datetime import date, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.utils import timezone

from apps.accounts.models import Membership, PersonalPhone, UnionMandate, User
from apps.breaches.demo import DEMO_LEAK_ROWS
from apps.breaches.models import Breach, DatasetImport, ExposedIdentifier, Exposure, Organisation
from apps.core.models import DemoScenario
from apps.insights.models import ContactRollup, ContributorScope, FacetRollup, NumberRollup, RollupChange, Scope
from apps.insights.selectors import statistics
from apps.reports.models import CallerNumber, ContactReport
from tests.insights.conftest import near
from tests.seeded_demo import seeded_demo

pytestmark = pytest.mark.django_db

CALLERS = {"NG", "BD", "PK", "IN"}  # DOMAIN.md: "from Nigeria, Bangladesh, Pakistan, India (also Indonesia)"
SEEDED_MODELS = [
    User, EmailAddress, Membership, PersonalPhone, UnionMandate, Organisation, Breach, DatasetImport,
    ExposedIdentifier, Exposure, CallerNumber, ContactReport, Scope, ContributorScope, ContactRollup, FacetRollup,
    NumberRollup, RollupChange, DemoScenario,
]  # fmt: skip


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    with seeded_demo(django_db_blocker) as scenario:
        yield scenario


def _visible(cells) -> dict[str, int]:
    return {c["key"]: c["contacts"] for c in cells if not c["hidden"]}


def _mean_visible(days) -> float:
    shown = [d["contacts"] for d in days if not d["hidden"] and d["contacts"]]
    return sum(shown) / len(shown)


@pytest.mark.parametrize(
    "scope",
    [{"breach": "inps-servizi-concorso-2022"}, {"organisation": "inps-servizi-demo"}],
    ids=["inps-breach", "inps-organisation"],
)
def test_the_inps_figures_show_the_callers_countries_hours_and_total(scope):
    kind, slug = next(iter(scope.items()))
    target = (Breach if kind == "breach" else Organisation).objects.get(slug=slug)

    figures = statistics(**{kind: target})

    assert figures["totals"]["contacts"] > 30_000 and figures["totals"]["people"] >= 318
    assert CALLERS | {"ID", "IT"} <= set(_visible(figures["countries"]))
    assert sum(1 for h in figures["hours"] if h["contacts"] and not h["hidden"]) >= 20
    assert not any(h["contacts"] for h in figures["hours"] if h["weekday"] == 7)  # nobody called on Sundays
    assert {"Amazon", "Microsoft", "INPS"} <= {row["label"] for row in figures["brands"]["rows"]}
    assert {"silent_call", "robocall", "sms", "whatsapp", "call"} <= set(_visible(figures["channels"]))
    assert {"mobile", "voip", "fixed"} <= set(_visible(figures["line_types"]))
    assert {"NG:MTN (demo)", "BD:Grameenphone (demo)", "PK:Jazz (demo)", "IN:Jio (demo)"} <= set(
        _visible(figures["carriers"])
    )
    top = figures["top_numbers"]
    assert len(top) == 10 and all(n["people"] >= 10 for n in top)
    assert sum(n["country"] in CALLERS for n in top) >= 8  # the campaigns, not the telemarketers, lead
    assert figures["trend"]["current"]["contacts"] > 0  # the last three months are not empty


def test_the_inps_timeline_shows_a_low_baseline_then_tall_bars():
    breach = Breach.objects.get(slug="inps-servizi-concorso-2022")

    timeline = statistics(breach=breach)["timeline"]

    assert timeline[0]["day"] == date(2024, 5, 1) and timeline[-1]["day"] == timezone.localdate()
    before = [d for d in timeline if d["day"] < breach.occurred_on]
    after = [d for d in timeline if breach.discovered_on <= d["day"] <= date(2025, 3, 31)]
    assert sum(not d["hidden"] for d in before) > len(before) / 2  # the baseline is shown, not hidden
    assert all(not d["hidden"] for d in after)
    assert _mean_visible(after) > 4 * _mean_visible(before)
    recent = [d for d in timeline if d["day"] >= timezone.localdate() - timedelta(days=90)]
    assert _mean_visible(recent) > _mean_visible(before)


def test_telconova_has_its_own_figures_for_the_union_dashboard():
    breach = Breach.objects.get(slug="telconova-clienti-2025")
    organisation = Organisation.objects.get(slug="telconova-demo")

    # All 60 are members of the organisation; in the breach, only the 40 it invited count (the 20 who only
    # declared themselves count in none of the breach's figures).
    for figures, people in ((statistics(breach=breach), 40), (statistics(organisation=organisation), 60)):
        assert near(figures["totals"]["people"], people) and near(figures["registered"]["total"], people)
        assert {"NG", "IT"} <= set(_visible(figures["countries"]))
        assert {row["key"] for row in figures["brands"]["rows"]} == {"telconova"}
        assert figures["top_numbers"]
    surge = [d for d in statistics(breach=breach)["timeline"] if date(2025, 3, 10) <= d["day"] <= date(2025, 4, 30)]
    # Its own surge after 2 March 2025, from the 40 invited people alone.
    assert sum(not d["hidden"] for d in surge) > len(surge) / 3


def test_the_statistics_were_rebuilt_by_the_demo(demo):
    summary = demo.summary["apps.insights.demo.statistics"]

    assert summary["ContactRollup"] == ContactRollup.objects.count() > 0


def test_seeding_again_gives_the_same_scenario_and_duplicates_nothing():
    counts = {model.__name__: model.objects.count() for model in SEEDED_MODELS}
    fields = ("caller__e164", "reporter__email", "channel", "occurred_at", "script", "impersonated_brand")
    reports = sorted(ContactReport.objects.values_list(*fields))
    breach, organisation = (
        Breach.objects.get(slug="inps-servizi-concorso-2022"),
        Organisation.objects.get(slug="inps-servizi-demo"),
    )
    figures = [statistics(breach=breach), statistics(organisation=organisation)]

    started = time.perf_counter()
    call_command("seed_demo", "--reset", stdout=io.StringIO())
    elapsed = time.perf_counter() - started

    assert {model.__name__: model.objects.count() for model in SEEDED_MODELS} == counts
    assert sorted(ContactReport.objects.values_list(*fields)) == reports  # same seed, same day: same reports
    assert [statistics(breach=breach), statistics(organisation=organisation)] == figures
    assert DatasetImport.objects.filter(breach=breach, status="succeeded").get().rows_read == DEMO_LEAK_ROWS
    assert breach.exposed_identifiers.count() == 2 * DEMO_LEAK_ROWS  # the leak is imported once
    assert elapsed < 120, elapsed  # ~20 s on an idle 2-core machine; a query per report would take minutes


def test_the_demo_stores_evidence_that_finds_the_surge_the_story_tells():
    """The INPS Servizi story: a surge of calls to the leak's people from a few days after the November 2024
    attack, from numbers that target them; the evidence is stored by seeding, as the nightly run stores it."""
    from apps.insights.models import BreachEvidence

    evidence = BreachEvidence.objects.get(breach__slug="inps-servizi-concorso-2022")

    assert evidence.members == 320
    assert date(2024, 11, 15) <= evidence.onset_day <= date(2024, 12, 15)
    assert evidence.result["rate_ratio_vs_controls"]["low"] > 1.5
    assert evidence.result["rate_ratio_vs_before"]["low"] > 1.5
    linked = evidence.result["linked_numbers"]
    assert linked and {CallerNumber.objects.get(e164=row["e164"]).country for row in linked} <= CALLERS | {"ID"}
    assert all(row["explained_by"] == "inps-servizi-concorso-2022" for row in linked)
