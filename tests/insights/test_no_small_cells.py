"""Walk every aggregate output (HTML, CSV, JSON) and find no figure about 1 to K-1 people."""

import csv
import io
import re

import pytest

from apps.accounts.models import Membership

pytestmark = pytest.mark.django_db
K = 10
FILTERS = [
    {},
    {"period": "custom", "from": "2024-12", "to": "2024-12"},
    {"period": "custom", "from": "2024-12", "to": "2025-01"},
    {"channel": "sms"},
    {"channel": "call", "period": "12m"},
]
_TITLE = re.compile(r"<g[^>]*><title>([^<]*)</title>")


def small(value) -> bool:
    return value is not None and 0 < value < K


def number(text: str) -> int | None:
    """The figure at the end of a chart tooltip ("Nigeria: 1,234"), or None for "hidden"."""
    tail = text.rsplit(":", 1)[-1].strip()
    digits = re.sub(r"[.,\u202f\xa0]", "", tail)
    return int(digits) if digits.isdigit() else None


def figures_in_html(html: str) -> list[int]:
    found = [int(v) for v in re.findall(r'data-count="(\d+)"', html)]
    found += [n for n in (number(t) for t in _TITLE.findall(html)) if n is not None]
    return found


def figures_in_json(value) -> list[int]:
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            if key in ("contacts", "people") or (
                key in ("total", "matched", "declared") and not isinstance(item, dict)
            ):
                if isinstance(item, int) and not isinstance(item, bool):
                    found.append(item)
            else:
                found += figures_in_json(item)
        return found
    if isinstance(value, list):
        return [n for item in value for n in figures_in_json(item)]
    return []


@pytest.fixture
def hr_client(client, make_person, with_totp, world):
    hr = make_person("hr@example.org")
    Membership.objects.create(person=hr, organisation=world.acme, role=Membership.Role.HR)
    with_totp(hr)
    client.force_login(hr)
    return client


def test_no_page_shows_a_figure_of_fewer_than_k_people(crowd, world, hr_client):
    pages = [("/", {})] + [(f"/breaches/{world.contest.slug}/", f) for f in FILTERS]
    pages += [(f"/dashboards/{world.acme.slug}/", f) for f in FILTERS]
    pages += [(f"/dashboards/{world.acme.slug}/", {"breach": world.contest.slug})]
    checked = 0
    for url, query in pages:
        for language in ("it", "en"):
            html = hr_client.get(url, query, HTTP_ACCEPT_LANGUAGE=language).content.decode()
            figures = figures_in_html(html)
            assert not [n for n in figures if small(n)], (url, query, language)
            checked += len(figures)
    assert checked > 300  # the walk saw the figures, not empty pages


def test_no_csv_cell_counts_fewer_than_k_people(crowd, world, hr_client):
    exports = [f"/breaches/{world.contest.slug}/statistics.csv", f"/dashboards/{world.acme.slug}/export.csv"]
    checked = 0
    for url in exports:
        for query in FILTERS:
            response = hr_client.get(url, query, HTTP_ACCEPT_LANGUAGE="en")
            if response.status_code == 400:  # a refused selection: nothing in it
                continue
            for row in csv.DictReader(io.StringIO(response.content.decode())):
                for column in ("contacts", "people"):
                    if row[column]:
                        assert not small(int(row[column])), (url, query, row)
                        checked += 1
    assert checked > 100


def test_no_api_answer_counts_fewer_than_k_people(crowd, world, client):
    checked = 0
    for query in FILTERS:
        query = {k: v for k, v in query.items() if k != "period" or v != "custom"}
        response = client.get(f"/api/v1/breaches/{world.contest.slug}/stats/", query)
        if response.status_code == 400:
            continue
        figures = figures_in_json(response.json())
        assert not [n for n in figures if small(n)], query
        checked += len(figures)
    assert checked > 50


def test_the_walk_would_notice_a_small_figure():
    """The checks above are only as good as their parsers: a leaked small figure must be caught."""
    assert small(number("Albania: 2"))
    assert figures_in_html('<td data-count="3">3</td>') == [3]
    assert figures_in_json({"countries": [{"contacts": 4, "people": 2}], "registered": {"total": 5}}) == [4, 2, 5]
