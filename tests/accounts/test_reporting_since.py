"""A person's reporting-since date: where their observation window starts in the linkage statistics."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.accounts.models import User

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
IT = {"HTTP_ACCEPT_LANGUAGE": "it"}


def _joined(person, day: date) -> User:
    person.date_joined = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    person.save(update_fields=["date_joined"])
    return person


def _report(person, when: datetime, number="+2348031234567"):
    from apps.reports.services import report_submit

    return report_submit(reporter=person, caller_number=number, channel="call", occurred_at=when)


def test_a_new_person_is_observed_from_the_day_they_signed_up(make_person):
    person = _joined(make_person(), date(2025, 3, 10))

    assert person.reporting_since is None
    assert person.observed_since == date(2025, 3, 10)


def test_my_page_shows_the_reporting_since_date_to_change(make_person, client):
    person = _joined(make_person(), date(2025, 3, 10))
    client.force_login(person)

    page = client.get("/me/", **EN).content.decode()

    assert "I have reported every contact since" in page
    assert 'value="2025-03-10"' in page


def test_a_person_moves_the_date_back_to_their_first_report(make_person, client):
    person = _joined(make_person(), date(2025, 3, 10))
    _report(person, datetime(2025, 2, 1, 9, 30, tzinfo=UTC))
    client.force_login(person)

    response = client.post("/me/reporting-since/", {"reporting_since": "2025-02-01"}, **EN)

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.observed_since == date(2025, 2, 1)


def test_the_date_cannot_go_before_the_first_report_and_says_so_in_english_and_italian(make_person, client):
    person = _joined(make_person(), date(2025, 3, 10))
    _report(person, datetime(2025, 2, 1, 9, 30, tzinfo=UTC))
    client.force_login(person)

    english = client.post("/me/reporting-since/", {"reporting_since": "2025-01-31"}, **EN)
    italian = client.post("/me/reporting-since/", {"reporting_since": "2025-01-31"}, **IT)

    assert english.status_code == 200
    assert "The date cannot be earlier than" in english.content.decode()
    assert english.context["reporting_since_form"].errors["reporting_since"]
    assert "La data non può essere precedente" in italian.content.decode()
    person.refresh_from_db()
    assert person.reporting_since is None


def test_without_any_report_the_date_cannot_move_back_before_signing_up(make_person, client):
    person = _joined(make_person(), date(2025, 3, 10))
    client.force_login(person)

    response = client.post("/me/reporting-since/", {"reporting_since": "2025-03-01"}, **EN)

    assert "Send your first report before moving this date back" in response.content.decode()
    person.refresh_from_db()
    assert person.reporting_since is None


def test_the_date_cannot_be_in_the_future(make_person, client):
    person = make_person()
    client.force_login(person)
    tomorrow = timezone.localdate() + timedelta(days=1)

    english = client.post("/me/reporting-since/", {"reporting_since": tomorrow.isoformat()}, **EN)
    italian = client.post("/me/reporting-since/", {"reporting_since": tomorrow.isoformat()}, **IT)

    assert "The date cannot be in the future." in english.content.decode()
    assert "La data non può essere nel futuro." in italian.content.decode()


@pytest.mark.parametrize("value", ["", "not a date", "2025-02-30"])
def test_a_missing_or_unreadable_date_is_a_field_error(make_person, client, value):
    client.force_login(make_person())

    response = client.post("/me/reporting-since/", {"reporting_since": value}, **EN)

    assert response.status_code == 200
    assert response.context["reporting_since_form"].errors["reporting_since"]


def test_the_date_may_move_forward_up_to_today(make_person, client):
    person = _joined(make_person(), date(2025, 3, 10))
    client.force_login(person)

    client.post("/me/reporting-since/", {"reporting_since": timezone.localdate().isoformat()}, **EN)

    person.refresh_from_db()
    assert person.observed_since == timezone.localdate()


def _upload_call_log(client, rows: str):
    upload = SimpleUploadedFile("calls.csv", f"number,date\n{rows}".encode(), "text/csv")
    preview = client.post("/report/bulk/", {"call_log": upload, "channel": "call", "region_hint": "IT"}, **EN)
    return client.post("/report/bulk/", {"confirm": "1", "token": preview.context["token"]}, **EN)


def test_uploading_a_call_log_moves_the_window_back_to_its_first_day(make_person, client):
    person = _joined(make_person(), date(2025, 3, 10))
    client.force_login(person)

    response = _upload_call_log(client, "+2348031234567,14/01/2025 09:30\n+923001234567,02/02/2025 10:00\n")

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.observed_since == date(2025, 1, 14)


def test_a_call_log_newer_than_the_window_leaves_it_where_it_was(make_person, client):
    person = _joined(make_person(), date(2025, 3, 10))
    client.force_login(person)
    client.post("/me/reporting-since/", {"reporting_since": "2025-03-10"})  # nothing earlier to move to

    _upload_call_log(client, "+2348031234567,20/03/2025 09:30\n")

    person.refresh_from_db()
    assert person.observed_since == date(2025, 3, 10)


def test_a_pasted_list_does_not_move_the_window(make_person, client):
    person = _joined(make_person(), date(2025, 3, 10))
    client.force_login(person)
    preview = client.post(
        "/report/bulk/", {"pasted": "+2348031234567, 14/01/2025 09:30", "channel": "call", "region_hint": "IT"}
    )

    client.post("/report/bulk/", {"confirm": "1", "token": preview.context["token"]})

    person.refresh_from_db()
    assert person.reporting_since is None
    assert person.contact_reports.count() == 1
