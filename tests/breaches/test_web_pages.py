import re
from datetime import date

import pytest

from apps.breaches.models import Breach

pytestmark = pytest.mark.django_db


def test_the_public_list_and_page_show_the_facts_and_what_to_do(breach, client):
    listing = client.get("/breaches/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    page = client.get("/breaches/contest-archive/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Contest archive" in listing and "INPS Servizi S.p.A. (test)" in listing
    assert "phone number" in page and "e-mail address" in page  # exposed data categories
    assert "Registro pubblico delle opposizioni" in page and "Polizia Postale" in page
    assert 'id="statistics"' in page


def test_the_size_of_a_breach_is_written_the_way_each_language_writes_numbers(breach, client):
    breach.approx_people = 3000
    breach.save()

    english = client.get("/breaches/contest-archive/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    italian = client.get("/breaches/contest-archive/", HTTP_ACCEPT_LANGUAGE="it").content.decode()

    assert "About 3,000 people." in english and "Circa 3.000 persone." in italian


def test_the_api_lists_public_facts_of_non_sensitive_breaches(breach, client):
    Breach.objects.create(
        organisation=breach.organisation,
        title="Hidden",
        slug="hidden",
        occurred_on=breach.occurred_on,
        is_sensitive=True,
    )

    body = client.get("/api/v1/breaches/").json()

    assert [b["slug"] for b in body["results"]] == ["contest-archive"]
    assert body["results"][0]["data_categories"] == ["name", "phone", "email"]
    assert set(body["results"][0]) == {
        "slug",
        "title",
        "organisation",
        "description",
        "title_it",
        "title_en",
        "description_it",
        "description_en",
        "occurred_on",
        "discovered_on",
        "disclosed_on",
        "data_categories",
        "approx_people",
        "sources",
        "is_verified",
        "url",
    }


def test_the_api_answers_in_the_request_language_and_gives_both(breach, client):
    breach.title_it, breach.title_en = "Archivio del concorso", "Contest archive"
    breach.description_it, breach.description_en = "", "Candidates' records."
    breach.save()

    italian = client.get("/api/v1/breaches/", HTTP_ACCEPT_LANGUAGE="it").json()["results"][0]
    english = client.get("/api/v1/breaches/", HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]

    assert (italian["title"], english["title"]) == ("Archivio del concorso", "Contest archive")
    # No Italian description yet: the English one stands in rather than an empty text.
    assert italian["description"] == english["description"] == "Candidates' records."
    assert (italian["title_it"], italian["title_en"], italian["description_it"]) == (
        "Archivio del concorso", "Contest archive", "",
    )  # fmt: skip


def test_the_api_is_read_only(breach, client):
    assert client.post("/api/v1/breaches/", {"slug": "x"}).status_code in (401, 403, 405)


def test_the_openapi_schema_and_offline_docs_are_served(client):
    schema = client.get("/api/schema/")
    docs = client.get("/api/docs/").content.decode()

    assert schema.status_code == 200 and b"/api/v1/breaches/" in schema.content
    # Every script and stylesheet the docs page loads is served by us, never by a CDN. (A bare "cdn" substring
    # check was flaky: the page embeds a random CSRF token.)
    asset_urls = re.findall(r'(?:src|href)="([^"]+)"', docs)
    assert "swagger-ui" in docs and asset_urls
    assert all(url.startswith("/") for url in asset_urls), asset_urls


def test_a_breach_page_writes_its_dates_and_size_as_each_language_does(breach, client):
    breach.approx_people, breach.disclosed_on = 120000, date(2025, 1, 31)
    breach.save()

    italian = client.get(f"/breaches/{breach.slug}/", HTTP_ACCEPT_LANGUAGE="it").content.decode()
    english = client.get(f"/breaches/{breach.slug}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "15 novembre 2024" in italian and "31 gennaio 2025" in italian and "120.000" in italian
    assert "15 November 2024" in english and "120,000" in english
