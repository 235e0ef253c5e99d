"""The padding attack's brand half: accounts reporting attacker-chosen brand text must never get it published
(issue 9). Only curated brands are named, by their display name, wherever figures are published."""

import pytest
from django.utils import translation

from apps.insights.rollups import rollups_update
from tests.insights.conftest import at

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ATTACKS = ('=HYPERLINK("http://evil")', "<b>x</b>", "poste-italiane-rimborso.example")
TRACES = ("hyperlink", "http://evil", "<b>x", "&lt;b&gt;x", "rimborso")


@pytest.fixture
def attacked(world, report):
    """Twelve proven members of the contest breach each report every attacker text (so every one of them is
    "typed by enough people"), and a curated brand in three spellings; rollups applied."""
    for i in range(12):
        person = world.person(f"sock{i:02d}", breaches=[world.contest])
        for n, text in enumerate(ATTACKS):
            report(person, at(2025, 1, 6 + n, hour=9 + i % 5), number="+234 803 100 0009", impersonated_brand=text)
        spelling = ("Poste Italiane", "  poste   ITALIANE ", "Posté Italiane")[i % 3]
        report(person, at(2025, 1, 10, hour=9 + i % 5), number="+234 803 100 0008", impersonated_brand=spelling)
    rollups_update()
    return world


def _published(client, world) -> dict[str, str]:
    slug = world.contest.slug
    return {
        "breach page": client.get(f"/breaches/{slug}/", **EN).content.decode(),
        "home page": client.get("/", **EN).content.decode(),
        "CSV export": client.get(f"/breaches/{slug}/statistics.csv", **EN).content.decode(),
        "stats API": client.get(f"/api/v1/breaches/{slug}/stats/", **EN).content.decode(),
        "number page": client.get("/numbers/+2348031000009/", **EN).content.decode(),
        "number API": client.get("/api/v1/numbers/+2348031000009/", **EN).content.decode(),
    }


def test_attacker_brand_text_never_appears_where_figures_are_published(attacked, client):
    for where, body in _published(client, attacked).items():
        for trace in TRACES:
            assert trace not in body.lower(), (where, trace)


def test_a_curated_brand_named_by_enough_people_appears_with_its_display_name(attacked, client):
    pages = _published(client, attacked)
    for where in ("breach page", "CSV export", "stats API"):
        assert "Poste Italiane" in pages[where], where
    number_page = client.get("/numbers/+2348031000008/", **EN).content.decode()
    assert "Poste Italiane" in number_page
    assert "+2348031000009" in pages["number page"]  # the attacked number is public, its brands unnamed
    api = client.get(f"/api/v1/breaches/{attacked.contest.slug}/stats/", **EN).json()
    assert {"key": "poste-italiane", "label": "Poste Italiane"}.items() <= api["brands"]["rows"][0].items()
    assert api["brands"]["rows"][0]["people"] >= 10 and len(api["brands"]["rows"]) == 1  # 12, perturbed


def test_the_person_and_the_officers_still_see_what_was_typed(attacked, client):
    from apps.reports.models import ContactReport

    typed = set(ContactReport.objects.values_list("impersonated_brand", flat=True))
    assert set(ATTACKS) <= typed  # stored as typed, privately
    assert not ContactReport.objects.filter(impersonated_brand__in=ATTACKS, curated_brand__isnull=False).exists()
    with translation.override("it"):
        assert ContactReport.objects.exclude(curated_brand=None).first().curated_brand.name == "Poste Italiane"
