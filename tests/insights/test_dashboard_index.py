"""The dashboards' index: each organisation the user may see, with the headline figures of its dashboard."""

import re

import pytest

from apps.accounts.models import AuditEvent
from apps.breaches.models import Organisation
from apps.insights import views

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def cells(page: str, slug: str) -> list[str]:
    row = re.search(rf'<tr id="organisation-{slug}">(.*?)</tr>', page, re.S).group(1)
    return re.findall(r'<td class="num"[^>]*data-(count="\d+"|hidden)', row)


def card_counts(page: str) -> list[str]:
    cards = page.split('class="stat-cards"')[1].split("</div>")[0]
    return re.findall(r'data-count="(\d+)"', cards)


def test_the_index_shows_the_same_headline_figures_as_each_dashboard(crowd, world, staff, client):
    client.force_login(staff["union"])

    index = client.get("/dashboards/", **EN).content.decode()
    dashboard = client.get(f"/dashboards/{world.acme.slug}/", **EN).content.decode()

    contacts, people, registered = card_counts(dashboard)[:3]
    assert cells(index, world.acme.slug) == [f'count="{registered}"', f'count="{contacts}"', f'count="{people}"']
    assert f'href="/dashboards/{world.acme.slug}/"' in index
    assert "Beta Telecom" not in index  # not covered by this union
    assert AuditEvent.objects.filter(actor=staff["union"], action="viewed", target="dashboard index").exists()


def test_an_organisation_with_too_few_people_shows_no_figure_on_the_index(crowd, world, staff, client):
    client.force_login(staff["officer"])

    index = client.get("/dashboards/", **EN).content.decode()

    assert cells(index, world.beta.slug) == ["hidden"]
    row = index.split(f'id="organisation-{world.beta.slug}"')[1].split("</tr>")[0]
    assert "Not enough people have reported yet" in row


def test_the_index_reads_its_figures_through_statistics(crowd, world, staff, client, monkeypatch):
    """The release layer decides what is published (suppression, perturbation): the index shows what
    statistics() returns, never a count of its own."""
    real = views.statistics

    def published(**kwargs):
        stats = real(**kwargs)
        return {**stats, "totals": {"contacts": 4321, "people": None}}

    monkeypatch.setattr(views, "statistics", published)
    client.force_login(staff["union"])

    index = client.get("/dashboards/", **EN).content.decode()

    assert cells(index, world.acme.slug)[1:] == ['count="4321"', "hidden"]


def test_an_officer_s_index_comes_a_page_at_a_time(world, staff, client):
    Organisation.objects.bulk_create(Organisation(name=f"Zeta {i:02d}", slug=f"zeta-{i:02d}") for i in range(25))
    client.force_login(staff["officer"])

    first = client.get("/dashboards/", **EN).content.decode()
    second = client.get("/dashboards/", {"page": 2}, **EN).content.decode()

    assert first.count('<tr id="organisation-') == 20 and "Page 1 of 2" in first
    assert second.count('<tr id="organisation-') == 7 and "Zeta 24" in second


def test_the_index_needs_a_role_and_two_factors(crowd, client, make_person):
    client.force_login(crowd[0])
    assert client.get("/dashboards/").status_code == 403
