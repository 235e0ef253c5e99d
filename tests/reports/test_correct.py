"""A person corrects or deletes their own report: the same rules as a new one, and every figure follows."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.reports.models import CallerNumber, ContactReport
from tests.insights.conftest import assert_same_as_rebuild
from tests.reports.conftest import SCAM, SCAM_E164

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
OTHER = "+92 300 1234567"
OTHER_E164 = "+923001234567"


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def form_data(**fields) -> dict:
    data = {"caller_number": SCAM, "channel": "call", "occurred_at": local(timezone.now()), "region_hint": "IT"}
    data.update(fields)
    return data


@pytest.fixture
def three_reports_of_scam(make_reporters, submit):
    """Three people report SCAM: it is public."""
    return [submit(person) for person in make_reporters(3)]


def test_the_correction_form_shows_the_report_as_it_was(client, reporter, submit):
    report = submit(reporter, channel="sms", impersonated_brand="Amazon", notes="asked for my IBAN")
    client.force_login(reporter)

    page = client.get(f"/report/{report.pk}/correct/", **EN).content.decode()

    assert "Correct your report" in page and SCAM_E164 in page and "Amazon" in page and "asked for my IBAN" in page
    assert re.search(r'<input type="radio" name="channel" value="sms"[^>]*checked', page)


def test_a_mistyped_number_is_corrected_and_both_numbers_and_all_figures_follow(
    client, reporter, three_reports_of_scam, django_capture_on_commit_callbacks
):
    mine = three_reports_of_scam[0]
    client.force_login(mine.reporter)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/report/{mine.pk}/correct/", form_data(caller_number=OTHER, channel="sms"), **EN)

    assert response.status_code == 302 and response["Location"] == f"/report/{mine.pk}/"
    mine.refresh_from_db()
    assert mine.caller.e164 == OTHER_E164 and mine.channel == "sms"
    scam = CallerNumber.objects.get(e164=SCAM_E164)
    assert scam.reporters_count == 2 and not scam.is_public  # below the threshold again
    assert CallerNumber.objects.get(e164=OTHER_E164).reporters_count == 1
    assert_same_as_rebuild()


def test_a_correction_follows_the_same_rules_as_a_report(client, reporter, submit):
    report = submit(reporter)
    client.force_login(reporter)

    future = client.post(
        f"/report/{report.pk}/correct/", form_data(occurred_at=local(timezone.now() + timedelta(days=2))), **EN
    )
    not_a_number = client.post(f"/report/{report.pk}/correct/", form_data(caller_number="banana"), **EN)

    assert future.status_code == 200 and "This date is in the future." in future.content.decode()
    assert not_a_number.status_code == 200 and "does not look like a phone number" in not_a_number.content.decode()
    report.refresh_from_db()
    assert report.caller.e164 == SCAM_E164


def test_a_report_hidden_by_an_officer_cannot_be_corrected(client, reporter, submit):
    report = submit(reporter)
    ContactReport.objects.filter(pk=report.pk).update(hidden=True, hidden_reason="abusive notes")
    client.force_login(reporter)

    assert client.get(f"/report/{report.pk}/correct/").status_code == 404


def test_deleting_a_report_takes_it_out_of_every_figure(
    client, three_reports_of_scam, django_capture_on_commit_callbacks
):
    mine = three_reports_of_scam[0]
    client.force_login(mine.reporter)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/report/{mine.pk}/delete/", **EN)

    assert response.status_code == 302 and response["Location"] == "/me/reports/"
    assert not ContactReport.objects.filter(pk=mine.pk).exists()
    assert CallerNumber.objects.get(e164=SCAM_E164).reporters_count == 2
    assert "Your report is deleted." in client.get("/me/reports/", **EN).content.decode()
    assert_same_as_rebuild()


def test_the_saved_report_page_offers_to_correct_or_delete_it(client, reporter, submit):
    report = submit(reporter)
    client.force_login(reporter)

    page = client.get(f"/report/{report.pk}/", **EN).content.decode()

    assert f'href="/report/{report.pk}/correct/"' in page and f'action="/report/{report.pk}/delete/"' in page


def test_a_correction_to_another_number_is_held_to_that_numbers_daily_limit(client, reporter, submit, monkeypatch):
    from apps.reports import limits

    monkeypatch.setattr(limits, "MAX_REPORTS_PER_NUMBER_PER_DAY", 1)
    report = submit(reporter)
    submit(reporter, caller_number=OTHER)
    client.force_login(reporter)

    to_other = client.post(f"/report/{report.pk}/correct/", form_data(caller_number=OTHER), **EN)
    same_number = client.post(f"/report/{report.pk}/correct/", form_data(channel="sms"), **EN)

    assert to_other.status_code == 429 and "already reported this number" in to_other.content.decode()
    assert same_number.status_code == 302  # the same contact, corrected: no new report of it
    report.refresh_from_db()
    assert report.caller.e164 == SCAM_E164 and report.channel == "sms"
