import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

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


# --- The moderation table at size: filters, order, pages, bulk actions -----------------------------------


def stored_reports(person, n, *, e164="+2348030000001", **fields):
    """n reports stored directly (the submit path and its daily limits are tested elsewhere), one a day."""
    caller, _ = CallerNumber.objects.get_or_create(e164=e164)
    now = timezone.now()
    fields.setdefault("channel", "call")
    return ContactReport.objects.bulk_create(
        ContactReport(
            reporter=person,
            contributor=person.pk,
            caller=caller,
            occurred_at=now - timedelta(days=i, hours=1),
            created_at=now - timedelta(days=i),
            **fields,
        )
        for i in range(n)
    )


def shown_ids(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr id="report-(\d+)"', page)]


def test_the_moderation_table_shows_fifty_reports_a_page_and_the_links_keep_the_filters(officer_client, reporter):
    reports = stored_reports(reporter, 60, channel="sms")

    first = officer_client.get("/officers/reports/", {"channel": "sms"}, **EN).content.decode()
    second = officer_client.get("/officers/reports/", {"channel": "sms", "page": 2}, **EN).content.decode()

    assert shown_ids(first) == [r.pk for r in reports[:50]]  # newest first
    assert shown_ids(second) == [r.pk for r in reports[50:]]
    assert "60 reports" in first and "Page 1 of 2" in first
    assert 'href="?channel=sms&amp;page=2"' in first
    assert officer_client.get("/officers/reports/", {"page": "999"}).status_code == 200  # the last page
    assert officer_client.get("/officers/reports/", {"page": "x"}).status_code == 200


def test_officers_filter_by_channel_period_weight_status_and_breach(officer_client, reporter, make_reporters, breach):
    sms = stored_reports(reporter, 3, channel="sms", e164="+2348030000002")
    low = stored_reports(reporter, 2, channel="whatsapp", low_weight=True, e164="+2348030000003")
    hidden = stored_reports(reporter, 1, channel="call", hidden=True, hidden_reason="spam", e164="+2348030000004")
    (exposed,) = make_reporters(1)
    in_breach = stored_reports(exposed, 2, channel="call", e164="+2348030000005")
    today = timezone.localdate()

    def ids(**query):
        response = officer_client.get("/officers/reports/", query, **EN)
        assert response.status_code == 200
        return set(shown_ids(response.content.decode()))

    assert ids(channel="sms") == {r.pk for r in sms}
    assert ids(weight="low") == {r.pk for r in low}
    assert ids(status="hidden") == {r.pk for r in hidden}
    assert ids(breach=breach.pk) == {r.pk for r in in_breach}
    # Contacts of yesterday only: every stored set has its second report then.
    yesterday = (today - timedelta(days=1)).isoformat()
    assert ids(since=yesterday, until=yesterday) == {r.pk for r in (sms[1], low[1], in_breach[1])}
    assert ids(channel="call", status="shown") == {r.pk for r in in_breach}


def test_officers_sort_by_report_or_contact_date(officer_client, reporter):
    reports = stored_reports(reporter, 4)
    oldest_contact_first = officer_client.get("/officers/reports/", {"sort": "occurred_at"}).content.decode()

    assert shown_ids(oldest_contact_first) == [r.pk for r in reversed(reports)]


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"q": "not a number"}, None),
        ({"since": "2025-13-40"}, "Enter a valid date."),
        ({"since": "2025-03-10", "until": "2025-03-01"}, "The end date comes before the start date."),
        ({"sort": "reporter__password"}, "Select a valid choice."),
        ({"breach": "999999"}, "Select a valid choice."),
        ({"channel": "fax"}, "Select a valid choice."),
    ],
)
def test_bad_filters_are_explained_beside_the_field_and_show_no_reports(officer_client, reporter, query, error):
    stored_reports(reporter, 2)

    response = officer_client.get("/officers/reports/", query, **EN)

    page = response.content.decode()
    assert response.status_code == 200 and shown_ids(page) == []
    assert 'class="errorlist' in page and (error is None or error in page)


def test_the_moderation_table_costs_the_same_queries_for_five_reports_or_fifty(
    officer_client, reporter, django_assert_max_num_queries
):
    stored_reports(reporter, 5, e164="+2348030000006")
    officer_client.get("/officers/reports/")
    with CaptureQueriesContext(connection) as few:
        officer_client.get("/officers/reports/")
    for i in range(45):  # a different number and brand each: no query per row for the caller or the brand
        stored_reports(reporter, 1, e164=f"+23480310{i:05d}", impersonated_brand=f"Brand {i}")
    with CaptureQueriesContext(connection) as many:
        officer_client.get("/officers/reports/")

    assert len(many) == len(few)


def test_an_officer_hides_the_selected_reports_with_one_reason_and_each_is_logged(
    officer_client, officer, public_number, django_capture_on_commit_callbacks
):
    chosen = list(ContactReport.objects.order_by("pk")[:2])

    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            "/officers/reports/bulk/",
            {
                "action": "hide",
                "reason": "copy-paste flood",
                "report": [r.pk for r in chosen],
                "next": "/officers/reports/?channel=call",
            },
            **EN,
        )

    assert response.status_code == 302 and response.url == "/officers/reports/?channel=call"
    assert set(ContactReport.objects.filter(hidden=True).values_list("pk", flat=True)) == {r.pk for r in chosen}
    assert set(ContactReport.objects.filter(hidden=True).values_list("hidden_reason", flat=True)) == {
        "copy-paste flood"
    }
    assert number().reporters_count == 1 and not number().is_public  # the counters followed
    events = AuditEvent.objects.filter(details__moderation="report_hidden")
    assert sorted(e.target for e in events) == sorted(f"report {r.pk}" for r in chosen)
    assert {e.actor for e in events} == {officer}
    assert "2 reports are hidden" in officer_client.get("/officers/reports/", **EN).content.decode()


def test_showing_selected_reports_again_makes_them_count(
    officer_client, public_number, django_capture_on_commit_callbacks
):
    ids = list(ContactReport.objects.values_list("pk", flat=True))
    ContactReport.objects.filter(pk__in=ids[:2]).update(hidden=True, hidden_reason="x")

    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post("/officers/reports/bulk/", {"action": "unhide", "report": ids})

    assert not ContactReport.objects.filter(hidden=True).exists()
    assert number().reporters_count == 3 and number().is_public
    # Only the two that were hidden changed, so only they are logged.
    assert AuditEvent.objects.filter(details__moderation="report_unhidden").count() == 2


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"action": "hide", "reason": "", "report": ["1"]}, "Give a short reason."),
        ({"action": "hide", "reason": "flood"}, "Select at least one report."),
        ({"action": "hide", "reason": "flood", "report": ["1; DROP TABLE", "2"]}, "Select at least one report."),
        ({"action": "hide", "reason": "flood", "report": [str(i) for i in range(1, 300)]}, "at most 200"),
    ],
)
def test_a_bulk_action_without_a_reason_or_a_sane_selection_changes_nothing(officer_client, public_number, data, error):
    response = officer_client.post("/officers/reports/bulk/", data, follow=True, **EN)

    assert response.status_code == 200 and error in response.content.decode()
    assert not ContactReport.objects.filter(hidden=True).exists()


def test_members_cannot_use_the_bulk_actions(client, reporter, public_number):
    client.force_login(reporter)

    response = client.post("/officers/reports/bulk/", {"action": "hide", "reason": "x", "report": [1, 2, 3]})

    assert response.status_code == 403 and not ContactReport.objects.filter(hidden=True).exists()


@pytest.mark.parametrize(
    "url",
    [
        "/officers/reports/",
        "/officers/disputes/",
        "/officers/breaches/",
        "/officers/audit/",
        f"/officers/numbers/{SCAM_E164}/",
    ],
)
def test_every_officer_page_has_the_one_officer_navigation_with_its_section_marked(officer_client, public_number, url):
    page = officer_client.get(url, **EN).content.decode()

    nav = re.search(r'<nav class="manage-nav officer-nav".*?</nav>', page, re.S).group(0)
    for link in ("/officers/reports/", "/officers/disputes/", "/officers/breaches/", "/officers/audit/", "/admin/"):
        assert f'href="{link}"' in nav
    assert nav.count('aria-current="page"') == 1
