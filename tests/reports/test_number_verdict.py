"""A number's page, and the API, written for the person who was just called: the number as they would dial
it, a verdict in words with its reason, what the callers wanted, what to do now; and no wrong claims."""

import re
from datetime import date, datetime

import pytest
import yaml
from django.utils import timezone
from rest_framework.test import APIClient

from apps.reports.models import CallerNumber
from apps.reports.moderation import caller_number_allowlist, dispute_raise
from tests.insights.conftest import near
from tests.reports.conftest import SCAM_E164

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ITALIAN_MOBILE = "+393331234567"


def reported_by(make_reporters, submit, n=3, **fields):
    for person in make_reporters(n):
        submit(person, **fields)
    return CallerNumber.objects.get(e164=fields.get("caller_number", SCAM_E164).replace(" ", ""))


def test_a_number_mostly_reported_for_a_scam_script_says_probably_a_scam_and_why(client, make_reporters, submit):
    reported_by(make_reporters, submit, 4, script="fake_amazon_voucher")

    page = client.get(f"/numbers/{SCAM_E164}/", **EN).content.decode()

    assert 'class="verdict verdict-scam"' in page
    # Four people: a verdict and its reason, but no count of fewer than K people.
    assert "Probably a scam" in page and "Fewer than 10 people reported it; most often: fake Amazon voucher." in page
    assert '<h1 class="number-e164" id="number-display">+234 803 123 4567</h1>' in page  # international, with +


def test_the_verdict_and_its_reason_are_in_italian_on_italian_pages(client, make_reporters, submit):
    reported_by(make_reporters, submit, 3, script="fake_tech_support")

    page = client.get(f"/numbers/{SCAM_E164}/", HTTP_ACCEPT_LANGUAGE="it").content.decode()

    assert "Probabile truffa" in page and "L&#x27;hanno segnalato meno di 10 persone; il motivo più frequente" in page
    assert "Che cosa fare ora" in page and "Non richiamare" in page


def test_an_italian_number_is_written_as_it_is_dialled_in_italy(client, make_reporters, submit):
    reported_by(make_reporters, submit, caller_number=ITALIAN_MOBILE)

    page = client.get(f"/numbers/{ITALIAN_MOBILE}/", **EN).content.decode()

    assert '<h1 class="number-e164" id="number-display">333 123 4567</h1>' in page
    assert f"From abroad: {ITALIAN_MOBILE}" in page


def test_a_number_reported_without_a_scam_script_is_unwanted_not_a_scam(client, make_reporters, submit):
    reported_by(make_reporters, submit, script="other")

    page = client.get(f"/numbers/{SCAM_E164}/", **EN).content.decode()

    assert 'verdict-unwanted"' in page and "Fewer than 10 people reported it as an unwanted contact." in page
    assert "Probably a scam" not in page


def test_an_open_dispute_makes_the_verdict_disputed(client, make_reporters, submit, django_capture_on_commit_callbacks):
    number = reported_by(make_reporters, submit, 6, script="fake_amazon_voucher")
    with django_capture_on_commit_callbacks(execute=True):
        dispute_raise(number=number, who="Acme S.p.A.", reason="Our customer service line")
    number.refresh_from_db()
    assert number.is_public  # six reporters outweigh one dispute

    page = client.get(f"/numbers/{SCAM_E164}/", **EN).content.decode()

    assert 'verdict-disputed"' in page and "but someone says it is legitimate" in page


def test_the_page_says_what_to_do_now_and_links_to_report_it_with_the_number(client, make_reporters, submit):
    reported_by(make_reporters, submit, script="fake_bank_parcel")

    page = client.get(f"/numbers/{SCAM_E164}/", **EN).content.decode()

    what_to_do = page[page.index('id="what-to-do-now"') : page.index('id="what-callers-said"')]
    assert "Do not call it back" in what_to_do and "Block it" in what_to_do
    assert "Never give the codes" in what_to_do and "card details" in what_to_do
    assert "Polizia Postale" in what_to_do and 'href="https://www.commissariatodips.it/"' in what_to_do
    assert 'href="/report/?number=%2B2348031234567"' in what_to_do
    assert page.index('id="verdict"') < page.index('id="what-to-do-now"') < page.index('id="about-the-number"')


def test_an_allowlisted_number_is_a_known_legitimate_number(
    client, make_reporters, submit, django_capture_on_commit_callbacks
):
    number = reported_by(make_reporters, submit)
    with django_capture_on_commit_callbacks(execute=True):
        caller_number_allowlist(number=number, actor=None, reason="The real INPS contact centre")

    page = client.get(f"/numbers/{SCAM_E164}/", **EN).content.decode()
    api = APIClient().get(f"/api/v1/numbers/{SCAM_E164}/", **EN)

    assert 'verdict-legitimate"' in page and "Known legitimate number" in page
    assert "The real INPS contact centre" in page and "Do not call it back" not in page
    assert api.status_code == 404
    assert api.json()["verdict"] == "legitimate" and "The real INPS contact centre" in api.json()["verdict_reason"]


def test_a_number_below_the_threshold_and_an_unknown_one_get_the_same_verdict(client, reporter, submit):
    submit(reporter)
    unknown = "+2348031111111"

    reported = APIClient().get(f"/api/v1/numbers/{SCAM_E164}/", **EN).json()
    never = APIClient().get(f"/api/v1/numbers/{unknown}/", **EN).json()
    page = client.get(f"/numbers/{SCAM_E164}/", **EN).content.decode()

    assert reported["verdict"] == never["verdict"] == "not_enough_evidence"
    assert reported["verdict_reason"] == never["verdict_reason"]
    assert (reported["display"], never["display"]) == ("+234 803 123 4567", "+234 803 111 1111")
    assert "Not enough evidence yet" in page and 'id="what-to-do-now"' in page


def test_the_api_gives_every_public_number_its_verdict_reason_and_dialled_form(make_reporters, submit):
    reported_by(make_reporters, submit, caller_number=ITALIAN_MOBILE, script="trading_crypto")

    data = APIClient().get(f"/api/v1/numbers/{ITALIAN_MOBILE}/", **EN).json()

    assert data["display"] == "333 123 4567" and data["verdict"] == "scam"
    assert data["verdict_label"] == "Probably a scam"
    assert data["verdict_reason"] == "Fewer than 10 people reported it; most often: trading or crypto investment."


def test_from_k_proven_people_the_verdict_gives_the_published_count(client, make_reporters, submit):
    reported_by(make_reporters, submit, 14, script="fake_amazon_voucher")

    page = client.get(f"/numbers/{SCAM_E164}/", **EN).content.decode()

    shown = int(re.search(r"(\d+) people reported it; most often: fake Amazon voucher\.", page)[1])
    assert near(shown, 14)


def test_the_schema_documents_the_verdict_of_a_number(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)

    responses = schema["paths"]["/api/v1/numbers/{e164}/"]["get"]["responses"]
    ok = responses["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    missing = responses["404"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    properties = schema["components"]["schemas"][ok]["properties"]
    assert {"display", "verdict", "verdict_label", "verdict_reason"} <= set(properties)
    assert {"detail", "verdict", "verdict_reason"} <= set(schema["components"]["schemas"][missing]["properties"])


def test_a_breach_is_never_named_for_calls_that_predate_it(client, make_reporters, submit, breach, store_evidence):
    before = timezone.make_aware(datetime(2024, 6, 1, 10, 0))  # the breach happened on 15 November 2024
    reported_by(make_reporters, submit, 12, occurred_at=before, script="other")
    store_evidence(observed_since=date(2024, 5, 20))  # observed then, yet the evidence counts from the breach on

    page = client.get(f"/numbers/{SCAM_E164}/", **EN).content.decode()

    assert breach.title not in page and "Breaches whose people it contacted" not in page


def test_a_breach_is_named_when_its_evidence_links_the_number(client, make_reporters, submit, breach, store_evidence):
    reported_by(make_reporters, submit, 9)
    store_evidence()
    page = client.get(f"/numbers/{SCAM_E164}/", **EN).content.decode()
    assert breach.title not in page  # nine members: the evidence shows nothing, naming would tell who is in it

    reported_by(make_reporters, submit, 1)
    store_evidence()  # ten members reached, of twenty people observed: 0.5^10 < 0.001, linked
    CallerNumber.objects.filter(e164=SCAM_E164).update(refreshed_at=timezone.now())  # a fresh page
    page = client.get(f"/numbers/{SCAM_E164}/", **EN).content.decode()

    assert "Breaches whose people it contacted" in page and breach.title in page


def test_a_linked_number_that_reached_fewer_than_k_members_names_the_breach_without_a_count(
    client, make_reporters, submit, breach, store_evidence
):
    make_reporters(5)  # members it did not reach
    reported_by(make_reporters, submit, 5)
    store_evidence(controls=40)  # 5 of 50 observed people are members reached: 0.2^5 < 0.001, linked

    page = client.get(f"/numbers/{SCAM_E164}/", **EN).content.decode()

    assert breach.title in page and "fewer than 10" in page and "5 people" not in page


def test_a_breach_whose_evidence_says_another_breach_explains_the_number_is_not_named(
    client, make_reporters, submit, breach, store_evidence
):
    reported_by(make_reporters, submit, 12)
    evidence = store_evidence()
    for row in evidence.result["linked_numbers"]:
        row["explained_by"] = "another-breach"  # as explain_overlap() decides when another leak fed the callers
    evidence.save()

    page = client.get(f"/numbers/{SCAM_E164}/", **EN).content.decode()

    assert breach.title not in page
    assert "+2348031234567" in client.get(f"/api/v1/breaches/{breach.slug}/blocklist.csv").content.decode()


def test_a_number_outside_the_numbering_plan_names_no_carrier(client, make_reporters, submit):
    number = reported_by(make_reporters, submit)
    CallerNumber.objects.filter(pk=number.pk).update(valid=False, carrier="Fastweb (demo)")

    page = client.get(f"/numbers/{SCAM_E164}/", **EN).content.decode()
    facts = page[page.index('class="number-facts"') :]

    assert "Fastweb" not in facts and "not in the numbering plan" in facts
    assert "no operator" not in facts


def test_a_valid_number_names_its_original_carrier(client, make_reporters, submit):
    reported_by(make_reporters, submit)

    page = client.get(f"/numbers/{SCAM_E164}/", **EN).content.decode()

    assert "MTN" in page and "valid number" in page


def test_ten_accounts_nobody_vouches_for_cannot_choose_what_the_verdict_says(client, make_reporters, submit):
    reported_by(make_reporters, submit, 3, script="other")
    for puppet in make_reporters(10, exposed=False, prefix="puppet"):
        submit(puppet, script="fake_tech_support")

    page = client.get(f"/numbers/{SCAM_E164}/", **EN).content.decode()

    assert "Probably a scam" not in page and "tech support" not in page.split('id="what-callers-said"')[0]
    assert "Fewer than 10 people reported it as an unwanted contact." in page
