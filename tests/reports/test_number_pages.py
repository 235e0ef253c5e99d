import re

import pytest

from apps.breaches.models import Breach, Exposure
from apps.reports.models import CallerNumber, NumberDispute
from apps.reports.moderation import caller_number_allowlist
from tests.insights.conftest import near
from tests.reports.conftest import SCAM_E164

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def public_number(make_reporters, submit):
    """SCAM reported by 12 members of the breach, each by a call and an SMS: public, linked to the breach."""
    for person in make_reporters(12):
        for channel in ("call", "sms"):
            submit(person, channel=channel, script="fake_amazon_voucher", impersonated_brand="Amazon")
    return CallerNumber.objects.get(e164=SCAM_E164)


def test_a_number_below_the_threshold_has_a_friendly_404_page(client, reporter, submit):
    submit(reporter)

    response = client.get(f"/numbers/{SCAM_E164}/", **EN)

    assert response.status_code == 404
    assert "Not enough reports yet" in response.content.decode()


def test_an_unknown_number_gets_the_same_page_as_one_below_the_threshold(client):
    response = client.get("/numbers/+2348031111111/", **EN)

    assert response.status_code == 404 and "Not enough reports yet" in response.content.decode()


def test_the_public_page_shows_activity_channels_scripts_brands_and_origin(
    client, public_number, breach, store_evidence
):
    store_evidence()  # the breach's evidence links the number: its page names the breach
    page = client.get(f"/numbers/{SCAM_E164}/", **EN).content.decode()

    shown = int(re.search(r"(\d+) people reported it; most often: fake Amazon voucher\.", page)[1])
    assert near(shown, 12)
    assert "Nigeria" in page and "MTN" in page and "Mobile" in page
    assert "Call" in page and "SMS" in page
    assert "Fake Amazon voucher" in page and "Amazon" in page
    assert breach.title in page and f'href="/breaches/{breach.slug}/"' in page
    assert "Named when the breach's evidence links the number" in page and "/methods/#evidence" in page
    assert "from " in page  # the active period


def test_a_number_of_few_reporters_shows_no_count_and_names_no_breach(
    client, make_reporters, submit, breach, store_evidence
):
    for person in make_reporters(3):
        submit(person, script="fake_amazon_voucher")
    store_evidence()  # three members: the evidence shows nothing, so it names nothing

    page = client.get(f"/numbers/{SCAM_E164}/", **EN).content.decode()

    assert "Fewer than 10 people reported it; most often: fake Amazon voucher." in page
    assert breach.title not in page and "3 people" not in page


def test_brands_typed_by_fewer_than_three_people_stay_private(client, public_number, make_reporters, submit):
    submit(make_reporters(1, prefix="troll")[0], impersonated_brand="Mario Rossi the neighbour")

    page = client.get(f"/numbers/{SCAM_E164}/", **EN).content.decode()

    assert "Mario Rossi" not in page


def test_sensitive_breaches_and_breaches_with_few_reporters_are_not_named(
    client, public_number, organisation, make_person, store_evidence
):
    sensitive = Breach.objects.create(
        organisation=organisation, title="Clinic bookings", slug="clinic", occurred_on="2025-01-01", is_sensitive=True
    )
    for reporter in {report.reporter for report in public_number.reports.all()}:
        Exposure.objects.create(person=reporter, breach=sensitive, established="dataset_match")
    other = Breach.objects.create(organisation=organisation, title="Other leak", slug="other", occurred_on="2025-01-01")
    Exposure.objects.create(person=public_number.reports.first().reporter, breach=other, established="dataset_match")
    sensitive.refresh_from_db(), other.refresh_from_db()  # dates as dates
    assert store_evidence(breach=sensitive).result["linked_numbers"]  # its evidence links it; never published
    store_evidence(breach=other)  # one member: nothing shown
    public_number.refreshed_at = None  # a new cache key
    public_number.save()

    page = client.get(f"/numbers/{SCAM_E164}/", **EN).content.decode()

    assert "Clinic bookings" not in page and "Other leak" not in page


def test_an_allowlisted_number_is_never_public_and_says_why(client, public_number, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        caller_number_allowlist(number=public_number, actor=None, reason="The real INPS contact centre")

    response = client.get(f"/numbers/{SCAM_E164}/", **EN)

    assert response.status_code == 404
    assert "The real INPS contact centre" in response.content.decode()


def test_a_number_typed_in_another_form_redirects_to_its_canonical_page(client, public_number):
    response = client.get("/numbers/002348031234567/")

    assert response.status_code == 301 and response["Location"] == f"/numbers/{SCAM_E164}/"


@pytest.mark.parametrize("typed", ["+234 803 123 4567", "00234 8031234567", "+234-803-123-4567"])
def test_the_search_box_accepts_any_format(client, typed):
    response = client.get("/numbers/", {"q": typed})

    assert response.status_code == 302 and response["Location"] == f"/numbers/{SCAM_E164}/"


@pytest.mark.parametrize(
    ("typed", "message"),
    [("hello", "This does not look like a phone number"), ("12", "too short"), ("💩", "does not look like")],
)
def test_the_search_box_explains_what_is_wrong(client, typed, message):
    response = client.get("/numbers/", {"q": typed}, **EN)

    assert response.status_code == 200 and message in response.content.decode()


def test_the_search_page_lists_recently_public_numbers(client, public_number):
    page = client.get("/numbers/", **EN).content.decode()

    assert f'href="/numbers/{SCAM_E164}/"' in page


def test_anyone_can_dispute_a_public_number(client, public_number, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/numbers/{SCAM_E164}/dispute/",
            {"who": "Acme Servizi customer care", "reason": "We call our customers.", "contact": "care@example.org"},
            **EN,
        )

    assert response.status_code == 302
    dispute = NumberDispute.objects.get()
    assert (dispute.who, dispute.status, dispute.raised_by) == ("Acme Servizi customer care", "open", None)
    public_number.refresh_from_db()
    assert public_number.legitimate_evidence == 1 and public_number.is_public


def test_a_dispute_needs_who_and_why(client, public_number):
    response = client.post(f"/numbers/{SCAM_E164}/dispute/", {"who": "", "reason": ""}, **EN)

    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert not NumberDispute.objects.exists()


def test_a_number_below_the_threshold_cannot_be_disputed(client, reporter, submit):
    submit(reporter)

    response = client.post(f"/numbers/{SCAM_E164}/dispute/", {"who": "me", "reason": "mine"})

    assert response.status_code == 404 and not NumberDispute.objects.exists()


def _confidence_everywhere(client) -> tuple[str, float]:
    """The number's confidence as its page and its API answer publish it."""
    page = client.get(f"/numbers/{SCAM_E164}/", **EN).content.decode()
    shown = re.search(r"unwanted-contact confidence (\d+)%", page)[1]
    api = client.get(f"/api/v1/numbers/{SCAM_E164}/").json()["spam_confidence"]
    return shown, api


def test_the_confidence_does_not_move_with_each_report_below_k(client, make_reporters, submit):
    """The attack: watch a number's confidence before and after your own report. The live counter moved by one
    reporter's worth each time, so it gave the exact reporter count back; the published one does not move
    while fewer than K proven people reported the number, proven or not."""
    for person in make_reporters(3):
        submit(person)
    before = _confidence_everywhere(client)

    for person in make_reporters(4) + make_reporters(3, exposed=False, prefix="nobody"):
        submit(person)
    number = CallerNumber.objects.get(e164=SCAM_E164)

    assert number.reporters_count == 10  # the live counter moved...
    assert _confidence_everywhere(client) == before  # ...what is published did not


def test_the_confidence_follows_the_published_reporters_and_disputes(client, public_number):
    shown, api = _confidence_everywhere(client)
    NumberDispute.objects.create(caller=public_number, who="Acme srl", reason="It is our customer line")
    from apps.reports.counters import caller_number_refresh

    caller_number_refresh(public_number.pk)
    disputed_shown, disputed_api = _confidence_everywhere(client)

    assert 0 < disputed_api < api < 1 and int(disputed_shown) < int(shown)
