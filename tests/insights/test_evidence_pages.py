"""The section "Is this surge linked to the breach?" on the breach page and the organisation dashboard: stored
evidence, published through the release layer, in Italian and English."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from apps.accounts.models import Membership
from apps.insights.linkage.compute import compute_evidence
from apps.insights.models import BreachEvidence
from apps.reports.models import CallerNumber
from tests.insights.evidence_scenarios import PERIOD_END, PERIOD_START, make_breach, plant

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
IT = {"HTTP_ACCEPT_LANGUAGE": "it"}


def _store(breach):
    result = compute_evidence(breach, start=PERIOD_START, end=PERIOD_END)
    return BreachEvidence.objects.create(
        breach=breach, period_start=PERIOD_START, period_end=PERIOD_END, method_version=1, result=result
    )


@pytest.fixture
def stored():
    scenario = plant(seed=3, members=30, controls=30)
    evidence = _store(scenario.breach)
    linked = [row["e164"] for row in evidence.result["linked_numbers"]]
    CallerNumber.objects.filter(e164__in=linked[:2]).update(is_public=True)
    scenario.public, scenario.hidden = linked[:2], linked[2:]
    call_command("rebuild_insights", stdout=StringIO())  # the statistics (and their timeline) from the reports
    return scenario


def _section(html: str) -> str:
    match = re.search(r'<section class="evidence".*?</section>', html, re.S)
    assert match, "no evidence section"
    return match.group(0)


def test_the_breach_page_shows_the_surge_its_onset_and_the_public_numbers_only(client, stored):
    page = client.get(f"/breaches/{stored.breach.slug}/", **EN).content.decode()
    section = _section(page)

    assert "Is this surge linked to the breach?" in section
    assert "The surge began on" in section and "20 January 2025" in section
    assert all(n in section for n in stored.public) and not any(n in page for n in stored.hidden)
    assert "more linked numbers are not public yet" in section
    assert "+2348031000xx" in section and "Fake Amazon voucher" in section and "Nigeria" in section
    assert "Silent calls and the Garante" in section and "over the limit of 3" in section
    assert "Computed on" in section
    assert "#6a2c91" in page and "Surge began" in page  # the onset on the timeline


def test_the_breach_page_in_italian(client, stored):
    section = _section(client.get(f"/breaches/{stored.breach.slug}/", **IT).content.decode())
    assert "Questo aumento di contatti è legato alla violazione?" in section
    assert "L’aumento è iniziato il" in section and "20 gennaio 2025" in section
    assert "Numeri collegati alla violazione" in section and "%%" not in section


def test_without_stored_evidence_or_with_few_members_the_page_says_why(client):
    breach = make_breach("quiet")
    section = _section(client.get("/breaches/quiet/", **EN).content.decode())
    assert "Not enough data to say yet." in section and "has not been computed yet" in section

    few = plant(seed=4, members=6, controls=30, slug="few")
    _store(few.breach)
    section = _section(client.get("/breaches/few/", **EN).content.decode())
    assert "Fewer than 10 proven members" in section and "×" not in section
    assert breach.pk


def test_the_dashboard_shows_the_same_released_figures_as_the_breach_page(client, world, staff, stored):
    Membership.objects.bulk_create([Membership(person=p, organisation=world.acme) for p in stored.members])
    call_command("rebuild_insights", stdout=StringIO())  # the organisation's figures now hold them
    public = _section(client.get(f"/breaches/{stored.breach.slug}/", **EN).content.decode())
    client.force_login(staff["hr"])
    dashboard = client.get(f"/dashboards/{world.acme.slug}/", **EN).content.decode()
    section = _section(dashboard)

    def figures(html):
        return re.findall(r"\d+(?:[.,]\d+)?", re.sub(r'id="[^"]*"|aria-labelledby="[^"]*"|<h2.*?</h2>', "", html))

    assert figures(section) == figures(public)  # differencing the two gives nothing: they are the same figures
    assert "#6a2c91" in dashboard
