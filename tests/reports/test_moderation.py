import pytest

from apps.accounts.models import AuditEvent
from apps.reports.models import CallerNumber, ContactReport, NumberDispute
from apps.reports.moderation import dispute_raise
from tests.reports.conftest import SCAM_E164

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def officer(make_person, with_totp):
    person = make_person("officer@example.org", is_staff=True)
    with_totp(person)
    return person


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def public_number(make_reporters, submit):
    for person in make_reporters(3):
        submit(person, notes="<img src=x onerror=alert(1)> rude words")
    return CallerNumber.objects.get(e164=SCAM_E164)


def number() -> CallerNumber:
    return CallerNumber.objects.get(e164=SCAM_E164)


@pytest.mark.parametrize("url", ["/officers/reports/", "/officers/disputes/", f"/officers/numbers/{SCAM_E164}/"])
def test_members_cannot_open_moderation_pages(client, reporter, public_number, url):
    client.force_login(reporter)

    assert client.get(url).status_code == 403


def test_members_cannot_hide_reports(client, reporter, public_number):
    client.force_login(reporter)
    report = ContactReport.objects.first()

    assert client.post(f"/officers/reports/{report.pk}/hide/", {"reason": "x"}).status_code == 403
    assert not ContactReport.objects.get(pk=report.pk).hidden


def test_officers_see_reports_with_notes_escaped_and_the_access_is_logged(officer_client, public_number):
    page = officer_client.get("/officers/reports/", **EN).content.decode()

    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt; rude words" in page
    assert AuditEvent.objects.filter(action="viewed", target="contact reports").exists()


def test_officers_filter_reports_by_a_number_in_any_format(officer_client, public_number, reporter, submit):
    submit(reporter, caller_number="+92 300 0000001")

    page = officer_client.get("/officers/reports/", {"q": "0092 300 000 0001"}, **EN).content.decode()

    assert "+923000000001" in page and SCAM_E164 not in page


def test_an_officer_hides_an_abusive_report_with_a_reason(
    officer_client, officer, public_number, django_capture_on_commit_callbacks
):
    report = ContactReport.objects.first()

    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(f"/officers/reports/{report.pk}/hide/", {"reason": "insults"})

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.hidden and report.hidden_reason == "insults"
    assert number().reporters_count == 2 and not number().is_public
    event = AuditEvent.objects.get(details__moderation="report_hidden")
    assert event.actor == officer and event.target == f"report {report.pk}" and event.action == "moderated"

    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(f"/officers/reports/{report.pk}/hide/", {"action": "unhide"})
    assert number().is_public


def test_hiding_needs_a_reason(officer_client, public_number):
    report = ContactReport.objects.first()

    officer_client.post(f"/officers/reports/{report.pk}/hide/", {"reason": "  "})

    assert not ContactReport.objects.get(pk=report.pk).hidden


def test_the_next_address_after_hiding_stays_on_this_site(officer_client, public_number):
    report = ContactReport.objects.first()

    response = officer_client.post(
        f"/officers/reports/{report.pk}/hide/", {"reason": "spam", "next": "https://evil.example/"}
    )

    assert response["Location"] == "/officers/reports/"


def test_an_officer_marks_a_number_legitimate_and_it_leaves_every_public_place(
    officer_client, public_number, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(f"/officers/numbers/{SCAM_E164}/allowlist/", {"reason": "INPS switchboard"})

    assert number().is_allowlisted and not number().is_public
    assert AuditEvent.objects.filter(details__moderation="number_allowlisted").exists()
    page = officer_client.get(f"/officers/numbers/{SCAM_E164}/", **EN).content.decode()
    assert "INPS switchboard" in page

    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(f"/officers/numbers/{SCAM_E164}/allowlist/", {"action": "remove"})
    assert not number().is_allowlisted and number().is_public


def test_an_officer_upholds_a_dispute_and_the_number_is_allowlisted(
    officer_client, public_number, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dispute = dispute_raise(number=public_number, who="Acme bank", reason="Our fraud team calls customers.")
    page = officer_client.get("/officers/disputes/", **EN).content.decode()
    assert "Acme bank" in page and "Our fraud team calls customers." in page

    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(f"/officers/disputes/{dispute.pk}/resolve/", {"decision": "uphold", "note": "checked"})

    dispute.refresh_from_db()
    assert dispute.status == "upheld" and dispute.resolution_note == "checked"
    assert number().is_allowlisted and not number().is_public and number().legitimate_evidence == 0
    logged = list(AuditEvent.objects.values_list("target", "details"))
    assert logged and SCAM_E164 not in str(logged) and SCAM_E164[1:] not in str(logged)  # ids, never numbers


def test_an_officer_rejects_a_dispute_and_the_confidence_recovers(
    officer_client, public_number, django_capture_on_commit_callbacks
):
    before = number().spam_confidence
    with django_capture_on_commit_callbacks(execute=True):
        dispute = dispute_raise(number=public_number, who="The scammer", reason="Please unblock me.")
    assert number().spam_confidence < before

    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(f"/officers/disputes/{dispute.pk}/resolve/", {"decision": "reject"})

    assert NumberDispute.objects.get().status == "rejected"
    assert number().spam_confidence == before and not number().is_allowlisted


def test_a_flood_of_disputes_weighs_one_unit_per_signed_in_claimant_and_one_for_all_anonymous_ones(
    public_number, make_reporters, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dispute_raise(number=public_number, who="Anonymous", reason="Unblock me.")
    one_claim = number().spam_confidence
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(10):
            dispute_raise(number=public_number, who="Anonymous again", reason="Unblock me.")
    assert number().legitimate_evidence == 1 and number().spam_confidence == one_claim

    claimant, other = make_reporters(2)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            dispute_raise(number=public_number, who="Acme bank", reason="Ours.", raised_by=claimant)
    assert number().legitimate_evidence == 2
    with django_capture_on_commit_callbacks(execute=True):
        dispute_raise(number=public_number, who="Acme bank too", reason="Ours.", raised_by=other)
    assert number().legitimate_evidence == 3 and number().spam_confidence < one_claim


def test_upholding_needs_a_note_and_a_decided_dispute_stays_decided(
    officer_client, public_number, django_capture_on_commit_callbacks
):
    dispute = dispute_raise(number=public_number, who="Someone", reason="Reason")

    officer_client.post(f"/officers/disputes/{dispute.pk}/resolve/", {"decision": "uphold", "note": ""})
    assert NumberDispute.objects.get().status == "open"

    officer_client.post(f"/officers/disputes/{dispute.pk}/resolve/", {"decision": "reject"})
    officer_client.post(f"/officers/disputes/{dispute.pk}/resolve/", {"decision": "uphold", "note": "changed mind"})
    assert NumberDispute.objects.get().status == "rejected"
