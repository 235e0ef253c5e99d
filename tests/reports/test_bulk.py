from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from apps.reports import limits
from apps.reports.bulk import BulkInputError, parse_call_log, parse_pasted
from apps.reports.models import CallerNumber, ContactReport
from apps.reports.services import reports_submit_many

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}

PASTED = """\
+234 803 123 4567, 31/01/2025 09:30, sms
00234 8031234567 2025-02-01 10:15 whatsapp
# a comment
3331234567;02/02/25 8.30;chiamata

not a number, 03/02/2025 12:00
+92 300 0000001
"""


def test_a_pasted_list_is_read_line_by_line_in_many_forms():
    rows = parse_pasted(PASTED)

    assert [(r.line, r.caller_number, r.channel) for r in rows] == [
        (1, "+234 803 123 4567", "sms"),
        (2, "00234 8031234567", "whatsapp"),
        (4, "3331234567", "call"),
        (6, "not a number", ""),
        (7, "+92 300 0000001", ""),
    ]
    assert timezone.localtime(rows[0].occurred_at).replace(tzinfo=None) == datetime(2025, 1, 31, 9, 30)
    assert timezone.localtime(rows[2].occurred_at).replace(tzinfo=None) == datetime(2025, 2, 2, 8, 30)
    assert rows[4].occurred_at is None


def test_an_impossible_date_is_a_problem_of_its_line():
    (row,) = parse_pasted("+234 803 123 4567, 31/02/2025 09:30")

    assert "could not be read" in row.problem


def test_an_android_call_log_is_read_and_outgoing_calls_are_skipped():
    data = (
        b"number,date,type,duration\r\n"
        b"+2348031234567,1738312200000,3,0\r\n"  # missed, Unix milliseconds
        b"+393331234567,1738312300000,2,60\r\n"  # outgoing: the person called
        b"0092 300 0000001,31/01/2025 10:00,1,5\r\n"
    )

    rows = parse_call_log(data)

    assert [(r.line, r.caller_number) for r in rows] == [(2, "+2348031234567"), (4, "0092 300 0000001")]
    assert rows[0].occurred_at.timestamp() == 1738312200 and rows[0].channel == "call"


def test_a_date_of_other_scripts_digits_is_a_problem_of_its_line_not_a_crash():
    # "²" and "٣" are digits to str.isdigit(), not to int() or a timestamp.
    data = "number,date\n+2348031234567,²²²²²²²²²²\n+2348031234567,٣٣٣٣٣٣٣٣٣٣\n".encode()

    rows = parse_call_log(data)

    assert [r.line for r in rows] == [2, 3] and all(r.occurred_at is None and r.problem for r in rows)


def test_an_italian_call_log_with_separate_date_and_time_columns_is_read():
    data = "Numero;Data;Ora;Tipo\n+234 803 123 4567;31/01/2025;09:30;persa\n".encode("latin-1")

    (row,) = parse_call_log(data)

    assert row.caller_number == "+234 803 123 4567" and timezone.localtime(row.occurred_at).hour == 9


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"name,when\nMario,today\n", "No column of phone numbers"), (b"\x00\x01\x02number", "not a text")],
)
def test_a_call_log_without_numbers_is_refused_clearly(data, message):
    with pytest.raises(BulkInputError) as excinfo, translation.override("en"):
        parse_call_log(data)

    assert message in str(excinfo.value.message)


def test_too_many_lines_are_refused():
    with pytest.raises(BulkInputError):
        parse_pasted("+234 803 123 4567\n" * 501)


def test_the_preview_shows_every_line_and_saves_nothing(client, reporter):
    client.force_login(reporter)

    response = client.post(
        "/report/bulk/",
        {"pasted": PASTED, "channel": "call", "occurred_at": "2025-02-04T18:00", "region_hint": "IT"},
        **EN,
    )

    page = response.content.decode()
    assert response.status_code == 200 and not ContactReport.objects.exists()
    assert "4 contacts will be saved." in page and "1 line cannot be saved" in page
    assert "This does not look like a phone number" in page  # line 6
    assert "The same number and time" not in page


def test_a_list_without_dates_asks_for_one_date_for_all_instead_of_refusing_every_line(client, reporter):
    client.force_login(reporter)
    undated = "+234 803 123 4567\n+92 300 0000001 sms\n"

    asked = client.post(
        "/report/bulk/", {"pasted": undated, "channel": "call", "occurred_at": "", "region_hint": "IT"}, **EN
    )
    page = asked.content.decode()
    assert "2 lines have no date. Give one date and time here" in page
    assert "+92 300 0000001 sms" in page  # the pasted list is kept
    assert "No date and time on this line" not in page and "Check the list" in page

    checked = client.post(
        "/report/bulk/",
        {"pasted": undated, "channel": "call", "occurred_at": "2025-02-04T18:00", "region_hint": "IT"},
        **EN,
    ).content.decode()
    assert "2 contacts will be saved." in checked


def test_the_preview_shows_each_number_as_it_was_understood(client, reporter):
    client.force_login(reporter)

    page = client.post(
        "/report/bulk/", {"pasted": "00234 8031234567 2025-02-01 10:15\n", "channel": "call", "region_hint": "IT"}, **EN
    ).content.decode()

    row = page[page.index("<tbody") :]
    assert "00234 8031234567" in row and "+2348031234567" in row and "Nigeria" in row and "Mobile" in row


def test_confirming_the_preview_saves_the_accepted_rows_in_one_commit(
    client, reporter, django_capture_on_commit_callbacks
):
    client.force_login(reporter)
    preview = client.post(
        "/report/bulk/", {"pasted": PASTED, "channel": "call", "occurred_at": "2025-02-05T12:00", "region_hint": "IT"}
    )
    token = preview.context["token"]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/report/bulk/", {"confirm": "1", "token": token}, **EN)

    assert response.status_code == 302 and response["Location"] == "/me/reports/"
    assert ContactReport.objects.filter(via="bulk").count() == 4
    refreshes = [c for c in callbacks if getattr(c, "func", None) is not None]
    assert len(refreshes) == 3  # one refresh per distinct number (and one statistics update)
    assert CallerNumber.objects.get(e164="+2348031234567").reports_count == 2
    assert client.post("/report/bulk/", {"confirm": "1", "token": token}).status_code == 302  # not twice
    assert ContactReport.objects.count() == 4


def test_a_forged_preview_token_saves_nothing(client, reporter):
    client.force_login(reporter)
    client.post("/report/bulk/", {"pasted": PASTED, "channel": "call", "region_hint": "IT"})

    client.post("/report/bulk/", {"confirm": "1", "token": "guess"})

    assert not ContactReport.objects.exists()


def test_a_call_log_upload_goes_through_the_same_preview(client, reporter):
    client.force_login(reporter)
    upload = SimpleUploadedFile("calls.csv", b"number,date\n+2348031234567,31/01/2025 09:30\n", "text/csv")

    response = client.post("/report/bulk/", {"call_log": upload, "channel": "call", "region_hint": "IT"}, **EN)

    assert "1 contact will be saved." in response.content.decode()


def test_the_preview_applies_the_daily_limit_per_number(client, reporter):
    client.force_login(reporter)
    lines = "\n".join(f"+234 803 123 4567, 01/02/2025 {hour:02d}:00" for hour in range(12))

    response = client.post("/report/bulk/", {"pasted": lines, "channel": "call", "region_hint": "IT"}, **EN)

    page = response.content.decode()
    assert "10 contacts will be saved." in page and "already reported this number 10 times" in page


def test_an_empty_form_asks_for_numbers(client, reporter):
    client.force_login(reporter)

    response = client.post("/report/bulk/", {"pasted": "  ", "channel": "call", "region_hint": "IT"}, **EN)

    assert "Paste some numbers or choose a call log file." in response.content.decode()


def test_submitting_many_is_all_or_nothing(reporter):
    rows = [
        {"caller_number": "+2348031234567", "channel": "call", "occurred_at": timezone.now()},
        {"caller_number": "nonsense", "channel": "call", "occurred_at": timezone.now()},
    ]

    with pytest.raises(ValidationError), translation.override("en"):
        reports_submit_many(reporter=reporter, rows=rows)

    assert not ContactReport.objects.exists()


def test_submitting_many_respects_the_daily_ceiling(reporter, monkeypatch):
    monkeypatch.setattr(limits, "MAX_REPORTS_PER_DAY", 2)
    rows = [{"caller_number": f"+92300000000{n}", "channel": "call", "occurred_at": timezone.now()} for n in range(3)]

    with pytest.raises(limits.ReportRateLimited):
        reports_submit_many(reporter=reporter, rows=rows)

    assert not ContactReport.objects.exists()
