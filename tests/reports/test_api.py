import json
from datetime import timedelta

import pytest
import yaml
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.reports import limits
from apps.reports.models import ContactReport
from tests.insights.conftest import near
from tests.reports.conftest import SCAM, SCAM_E164

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(reporter):
    """An API client authenticated by the reporter's token, speaking English."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=reporter).key}")
    return client


def body(**fields) -> dict:
    data = {"caller_number": SCAM, "channel": "sms", "occurred_at": (timezone.now() - timedelta(hours=1)).isoformat()}
    data.update(fields)
    return data


@pytest.mark.django_db(transaction=True)  # real commits: the counters in the answer are refreshed on commit
def test_a_phone_app_reports_a_contact_with_its_token(api):
    response = api.post("/api/v1/reports/", body(script="fake_bank_parcel", caller_knew=["name"]), format="json")

    assert response.status_code == 201
    data = response.json()
    assert data["caller"] == {
        "e164": SCAM_E164,
        "country": "NG",
        "country_name": "Nigeria",
        "carrier": "MTN",
        "line_type": "mobile",
        "valid": True,
        "is_public": False,
    }
    assert data["channel"] == "sms" and data["script"] == "fake_bank_parcel" and data["caller_knew"] == ["name"]
    assert ContactReport.objects.get().via == "api"


def test_a_logged_in_browser_reports_with_its_session(client, reporter):
    client.force_login(reporter)

    response = client.post("/api/v1/reports/", body(), content_type="application/json")

    assert response.status_code == 201


def test_an_anonymous_request_is_answered_401_with_the_scheme_to_use():
    response = APIClient().post("/api/v1/reports/", body(), format="json")

    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"


def test_a_wrong_token_is_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert client.post("/api/v1/reports/", body(), format="json").status_code == 401


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"caller_number": "banana"}, "caller_number", "This does not look like a phone number"),
        ({"caller_number": "12"}, "caller_number", "too short"),
        ({"caller_number": "🙂" * 10}, "caller_number", "This does not look like a phone number"),
        ({"caller_number": "9" * 100_000}, "caller_number", "too long"),
        ({"channel": "fax"}, "channel", "not a valid choice"),
        ({"occurred_at": "yesterday"}, "occurred_at", "Datetime has wrong format"),
        ({"occurred_at": "2999-01-01T00:00:00Z"}, "occurred_at", "in the future"),
        ({"occurred_at": "1990-01-01T00:00:00Z"}, "occurred_at", "1 January 2000"),
        ({"occurred_at": "0001-01-01"}, "occurred_at", "1 January 2000"),  # naive year 1: no Rome time for it
        ({"occurred_at": "9999-12-31T23:59:59-05:00"}, "occurred_at", "out of range"),
        ({"outcome": "lost_money", "loss_eur": "-1"}, "loss_eur", "greater than or equal to 0"),
        ({"outcome": "hung_up", "loss_eur": "5"}, "loss_eur", "only when the outcome"),
        ({"notes": "x" * 100_000}, "notes", "no more than 2000 characters"),
        ({"notes": "a\x00b"}, "notes", "Null characters are not allowed"),
        ({"caller_knew": ["shoe_size"]}, "caller_knew", "not a valid choice"),
        ({"region_hint": "ZZ"}, "region_hint", "two-letter country code"),
        ({"silent_seconds": 5}, "silent_seconds", "Only for silent calls"),
    ],
)
def test_bad_input_is_a_400_with_a_message_per_field(api, fields, field, message):
    response = api.post("/api/v1/reports/", body(**fields), format="json")

    assert response.status_code == 400
    assert message in json.dumps(response.json()[field])
    assert not ContactReport.objects.exists()


def test_the_reporters_own_number_is_a_400(api, reporter):
    own = reporter.phones.get().number

    response = api.post("/api/v1/reports/", body(caller_number=own), format="json")

    assert response.status_code == 400 and "one of your own numbers" in response.json()["caller_number"][0]


def test_a_body_that_is_not_json_is_a_400_not_a_500(api):
    response = api.post("/api/v1/reports/", "{not json", content_type="application/json")

    assert response.status_code == 400


def test_a_form_encoded_body_is_415(api):
    response = api.post("/api/v1/reports/", body(), format="multipart")

    assert response.status_code == 415


def test_daily_limits_are_answered_429_with_retry_after(api, submit, reporter):
    for _ in range(limits.MAX_REPORTS_PER_NUMBER_PER_DAY):
        submit(reporter)

    response = api.post("/api/v1/reports/", body(), format="json")

    assert response.status_code == 429
    assert "already reported this number 10 times" in response.json()["detail"]
    assert 0 < int(response["Retry-After"]) <= 86400


def test_the_reputation_of_a_number_is_404_below_the_threshold(reporter, submit):
    submit(reporter)

    assert APIClient().get(f"/api/v1/numbers/{SCAM_E164}/").status_code == 404


def test_the_reputation_of_a_public_number_shows_no_count_of_fewer_than_k_people(
    make_reporters, submit, breach, store_evidence
):
    for person in make_reporters(3):
        submit(person, script="fake_tech_support")
        submit(person, channel="sms")
    store_evidence()  # three members: no breach named

    response = APIClient().get("/api/v1/numbers/00234 803 123 4567/")

    assert response.status_code == 200  # public from 3 reporters, but nothing about them is counted out loud
    data = response.json()
    assert (data["e164"], data["reports"], data["reporters"]) == (SCAM_E164, None, None)
    assert data["channels"] == data["scripts"] == data["breaches"] == []
    assert 0 < data["spam_confidence"] < 1


def test_the_reputation_of_a_number_counts_distinct_proven_reporters_perturbed(
    make_reporters, submit, breach, store_evidence
):
    for person in make_reporters(12):
        submit(person, script="fake_tech_support")
        submit(person, channel="sms")
    for puppet in make_reporters(10, exposed=False, prefix="puppet"):
        submit(puppet)  # nobody vouches for these accounts: they count in no figure
    store_evidence()  # the breach's evidence links the number

    data = APIClient().get("/api/v1/numbers/00234 803 123 4567/").json()

    assert near(data["reports"], 24) and near(data["reporters"], 12)
    assert {row["channel"] for row in data["channels"]} == {"call", "sms"}
    assert all(near(row["reporters"], 12) for row in data["channels"])
    assert [row["script"] for row in data["scripts"]] == ["fake_tech_support"]
    assert [row["slug"] for row in data["breaches"]] == [breach.slug] and near(data["breaches"][0]["reporters"], 12)


def test_a_report_answer_echoes_no_counter_of_the_number(make_reporters, submit):
    for person in make_reporters(12):
        submit(person)
    api = APIClient()
    api.force_authenticate(make_reporters(1)[0])
    answer = api.post("/api/v1/reports/", {**body(), "caller_number": SCAM}, format="json").json()
    assert set(answer["caller"]) == {"e164", "country", "country_name", "carrier", "line_type", "valid", "is_public"}


def test_an_unparseable_number_in_the_path_is_404():
    assert APIClient().get("/api/v1/numbers/not-a-number/").status_code == 404


def test_the_schema_documents_every_status_of_the_reports_api(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)

    post = schema["paths"]["/api/v1/reports/"]["post"]
    assert set(post["responses"]) >= {"201", "400", "401", "403", "415", "429"}
    assert set(schema["paths"]["/api/v1/numbers/{e164}/"]["get"]["responses"]) == {"200", "404"}
    assert "text/csv" in json.dumps(schema["paths"]["/api/v1/breaches/{slug}/blocklist.csv"])
    assert "tokenAuth" in json.dumps(post["security"])


def test_a_person_creates_replaces_and_deletes_their_api_token(client, reporter):
    client.force_login(reporter)

    client.post("/me/api-token/", {"action": "create"})
    first = Token.objects.get(user=reporter).key
    assert first in client.get("/me/api-token/").content.decode()
    client.post("/me/api-token/", {"action": "create"})
    assert Token.objects.get(user=reporter).key != first
    client.post("/me/api-token/", {"action": "delete"})
    assert not Token.objects.filter(user=reporter).exists()


def test_the_fast_answer_equals_what_the_documented_serializer_gives(reporter, submit):
    from apps.reports.api import ReportSerializer, report_json

    report = submit(reporter, outcome="lost_money", loss_eur="12.5", caller_knew=["name"], notes="n")
    report = ContactReport.objects.select_related("caller").get(pk=report.pk)

    assert report_json(report) == ReportSerializer(report).data


def test_each_language_gets_its_own_messages_however_the_fields_are_kept(api):
    """The input fields are bound once per process; the messages DRF formats once must not stick to the
    language of the first request that needed them."""
    italian = api.post(
        "/api/v1/reports/", body(outcome="lost_money", loss_eur="-1"), format="json", HTTP_ACCEPT_LANGUAGE="it"
    )
    english = api.post("/api/v1/reports/", body(outcome="lost_money", loss_eur="-1"), format="json")

    assert "maggiore o uguale a 0" in json.dumps(italian.json()["loss_eur"], ensure_ascii=False)
    assert "greater than or equal to 0" in json.dumps(english.json()["loss_eur"])


def test_the_input_fields_are_bound_once_and_keep_nothing_between_requests(api):
    from apps.reports.api import ReportInputSerializer

    refused = api.post("/api/v1/reports/", body(channel="fax", caller_knew=["shoe_size"]), format="json")
    accepted = api.post("/api/v1/reports/", body(), format="json")

    assert refused.status_code == 400 and set(refused.json()) == {"channel", "caller_knew"}
    assert accepted.status_code == 201
    assert ReportInputSerializer().fields is ReportInputSerializer().fields


@pytest.mark.django_db(transaction=True)  # real commits: both numbers' counters are refreshed on commit
def test_a_phone_app_reads_corrects_and_deletes_its_own_report(api):
    created = api.post("/api/v1/reports/", body(), format="json").json()
    url = f"/api/v1/reports/{created['id']}/"

    assert api.get(url).json()["caller"]["e164"] == SCAM_E164
    corrected = api.put(url, body(caller_number="+92 300 1234567", channel="whatsapp"), format="json")
    assert corrected.status_code == 200
    assert corrected.json()["caller"]["e164"] == "+923001234567" and corrected.json()["channel"] == "whatsapp"
    assert "reporters" not in corrected.json()["caller"]  # an unchanged PUT must not let anyone poll a counter
    assert ContactReport.objects.get().caller.e164 == "+923001234567"

    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404 and not ContactReport.objects.exists()


def test_a_correction_through_the_api_follows_the_rules_and_reaches_only_ones_own_reports(api, make_person, submit):
    mine = api.post("/api/v1/reports/", body(), format="json").json()
    theirs = submit(make_person("someone-else@example.org"))

    bad = api.put(f"/api/v1/reports/{mine['id']}/", body(caller_number="banana"), format="json")
    assert bad.status_code == 400 and "caller_number" in bad.json()
    for url in (
        f"/api/v1/reports/{theirs.pk}/",
        "/api/v1/reports/-1/",
        f"/api/v1/reports/{2**70}/",
        "/api/v1/reports/x/",
        "/api/v1/reports/²/",
    ):
        assert api.get(url).status_code == 404 and api.delete(url).status_code == 404
    assert ContactReport.objects.filter(pk=theirs.pk).exists()
    ContactReport.objects.filter(pk=mine["id"]).update(hidden=True)
    assert api.put(f"/api/v1/reports/{mine['id']}/", body(), format="json").status_code == 404
