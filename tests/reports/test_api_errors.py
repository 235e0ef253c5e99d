"""API errors as a phone app's developer (or an attacker) meets them: JSON, in the request's language, naming
what was not found as users know it, never an internal model; a body too large is a JSON 413, not a page."""

import json
from unittest import mock

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from apps.reports.models import ContactReport
from apps.reports.services import report_submit
from tests.reports.conftest import SCAM

pytestmark = pytest.mark.django_db

# Internal names (ContactReport, CallerNumber…; "Breach" is also the word users read) and Django's phrase.
MODEL_NAMES = {name for name in (m.__name__ for m in apps.get_models()) if name[1:] != name[1:].lower()}
MODEL_NAMES |= {"matches the given query"}


def get(client, url, language, **headers):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language, **headers)


def assert_json_error(response, status, detail):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    assert response.json()["detail"] == detail  # a number's 404 also carries its verdict
    assert not [name for name in MODEL_NAMES if name in response.content.decode()]


@pytest.fixture
def someone_elses_report(make_person):
    other = make_person("other@example.org")
    return report_submit(reporter=other, caller_number=SCAM, channel="call", occurred_at=timezone.now())


@pytest.mark.parametrize(("language", "detail"), [("en", "Report not found."), ("it", "Segnalazione non trovata.")])
def test_a_report_that_is_not_ones_own_or_does_not_exist_is_not_found_without_naming_the_model(
    client, reporter, someone_elses_report, language, detail
):
    client.force_login(reporter)

    for report_id in (someone_elses_report.pk, someone_elses_report.pk + 1000, "12abc", "²"):
        assert_json_error(get(client, f"/api/v1/reports/{report_id}/", language), 404, detail)
    response = client.delete(f"/api/v1/reports/{someone_elses_report.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    assert_json_error(response, 404, detail)
    assert ContactReport.objects.filter(pk=someone_elses_report.pk).exists()


NO_PAGE = ("This number has no public page.", "Questo numero non ha una pagina pubblica.")
NO_REPUTATION = ("This number has no public reputation.", "Questo numero non ha una reputazione pubblica.")


@pytest.mark.parametrize(
    ("url", "english", "italian"),
    [
        ("/api/v1/numbers/+390612345678/", *NO_PAGE),
        ("/api/v1/numbers/not-a-number/", *NO_REPUTATION),
        ("/api/v1/breaches/no-such-breach/stats/", "Breach not found.", "Violazione non trovata."),
        ("/api/v1/no-such-endpoint/", "Not found.", "Non trovato."),
        ("/api/v1/breaches/no-such-breach/", "Not found.", "Non trovato."),
    ],
)  # fmt: skip
def test_every_api_404_is_json_in_the_request_language(client, url, english, italian):
    assert_json_error(get(client, url, "en"), 404, english)
    assert_json_error(get(client, url, "it"), 404, italian)


def test_a_blocklist_of_an_unknown_breach_says_so_in_words(client):
    response = get(client, "/api/v1/breaches/no-such-breach/blocklist.csv", "en")

    assert response.status_code == 404 and response.content == b"Breach not found."


def test_a_page_that_does_not_exist_is_still_an_html_page(client):
    response = get(client, "/no-such-page/", "en")

    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(("language", "size"), [("en", "1000\xa0bytes"), ("it", "1000\xa0byte")])
def test_an_oversized_body_is_a_json_413(client, reporter, settings, language, size):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(reporter)
    body = json.dumps({"caller_number": SCAM, "channel": "call", "notes": "x" * 5000})

    response = client.post("/api/v1/reports/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert size in response.json()["detail"]
    assert not ContactReport.objects.exists()


def test_an_oversized_body_on_an_api_address_no_view_parses_is_json_too(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post("/api/v1/no-such-endpoint/", {"field": "x" * 5000})

    assert response.status_code in (404, 413) and response["Content-Type"].startswith("application/json")


def test_an_unexpected_api_failure_is_a_json_500_without_a_traceback(reporter):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(reporter)
    report = report_submit(reporter=reporter, caller_number=SCAM, channel="call", occurred_at=timezone.now())

    with mock.patch("apps.reports.api.report_json", side_effect=RuntimeError("secret internals")):
        response = client.get(f"/api/v1/reports/{report.pk}/")

    assert response.status_code == 500 and response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Something went wrong on our side; please try again later."}
