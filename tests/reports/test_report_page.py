import re
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.reports import limits
from apps.reports.models import ContactReport
from tests.insights.conftest import near
from tests.reports.conftest import SCAM, give_verified_phone

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def post_report(client, **fields):
    data = {"caller_number": SCAM, "channel": "call", "occurred_at": local(timezone.now()), "region_hint": "IT"}
    data.update(fields)
    return client.post("/report/", data, **EN)


def test_an_anonymous_visitor_is_told_why_an_account_is_needed_and_how_long_it_takes(client):
    response = client.get("/report/?number=%2B234%20803%20123%204567", **EN)

    page = response.content.decode()
    assert response.status_code == 200
    assert "First, a free account" in page and "Signing up takes about two minutes" in page
    assert "You are about to report" in page and "+234 803 123 4567" in page
    back = "next=/report/%3Fnumber%3D%252B234%2B803%2B123%2B4567"  # sign up or log in, then the same number
    assert f'href="/accounts/signup/?{back}"' in page and f'href="/accounts/login/?{back}"' in page
    assert 'name="caller_number"' not in page


def test_an_anonymous_post_saves_nothing(client):
    response = post_report(client)

    assert response.status_code == 200 and "First, a free account" in response.content.decode()
    assert not ContactReport.objects.exists()


def test_report_this_number_fills_the_number_in(client, reporter):
    client.force_login(reporter)

    page = client.get("/report/?number=%2B2348031234567", **EN).content.decode()

    assert 'name="caller_number" value="+2348031234567"' in page


def test_a_prefilled_number_is_only_text_in_the_form(client, reporter):
    client.force_login(reporter)

    page = client.get('/report/?number="><script>alert(1)</script>' + "9" * 200, **EN).content.decode()

    value = re.search(r'name="caller_number" value="([^"]*)"', page).group(1)
    assert "<script>alert(1)" not in page
    assert value == "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" + "9" * 73  # escaped, cut to 100 characters


def test_the_report_page_is_phone_first(client, reporter):
    client.force_login(reporter)

    page = client.get("/report/", **EN).content.decode()

    assert 'inputmode="tel"' in page and 'name="caller_number"' in page
    assert page.index('name="caller_number"') < page.index('name="channel"') < page.index("<details")
    assert page.count('type="radio" name="channel"') == 8
    assert f'value="{local(timezone.now())[:13]}' in page  # "when" defaults to now
    assert "Which of my numbers was contacted" in page  # the reporter has a phone


def test_reporting_a_contact_shows_what_we_know_about_the_number(client, reporter, django_capture_on_commit_callbacks):
    client.force_login(reporter)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_report(client, channel="whatsapp", script="trading_crypto", impersonated_brand="Amazon")

    report = ContactReport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/report/{report.pk}/"
    page = client.get(response["Location"], **EN).content.decode()
    assert "+234 803 123 4567" in page and "Nigeria" in page and "MTN" in page and "Mobile" in page
    assert "Its page is not public yet." in page and "first to report" not in page
    assert 'href="/report/"' in page and "Report another" in page
    assert report.channel == "whatsapp" and report.via == "form"


def test_a_public_number_shows_its_breakdown_after_reporting(
    client, make_reporters, submit, django_capture_on_commit_callbacks
):
    people = make_reporters(12)
    for person in people[:11]:
        submit(person, script="fake_tech_support")
    client.force_login(people[11])

    with django_capture_on_commit_callbacks(execute=True):
        response = post_report(client, script="fake_tech_support")
    page = client.get(response["Location"], **EN).content.decode()

    assert near(int(re.search(r"(\d+) people have reported this number\.", page)[1]), 12)
    assert "Fake Microsoft or tech support" in page
    assert 'href="/numbers/+2348031234567/"' in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"caller_number": "not a number"}, "This does not look like a phone number"),
        ({"caller_number": "12"}, "This number is too short."),
        ({"caller_number": "+39 333 123 4567 8901 2345"}, "This number is too long."),
        ({"caller_number": "333 CALL ME"}, "This does not look like a phone number"),
        ({"caller_number": "☎️ 333 1234567"}, "This does not look like a phone number"),
        ({"occurred_at": local(timezone.now() + timedelta(days=2))}, "This date is in the future."),
        ({"occurred_at": "1999-12-31T23:00"}, "1 January 2000"),
        ({"occurred_at": "0001-01-01T00:00"}, "1 January 2000"),
        ({"outcome": "lost_money", "loss_eur": "-10"}, "The amount cannot be negative."),
        ({"outcome": "lost_money", "loss_eur": "lots"}, "Enter an amount in euros"),
        ({"notes": "x" * 100_000}, "Notes can be at most 2000 characters."),
        ({"channel": "pigeon"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_a_clear_field_error_never_a_500(client, reporter, fields, message):
    client.force_login(reporter)

    response = post_report(client, **fields)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ContactReport.objects.exists()


def test_the_reporters_own_number_is_refused_on_the_page(client, reporter):
    give_verified_phone(reporter, "+393331234567")
    client.force_login(reporter)

    response = post_report(client, caller_number="0039 333 123 4567")

    assert "This is one of your own numbers" in response.content.decode()


def test_html_in_notes_is_escaped_on_the_result_page(client, reporter):
    client.force_login(reporter)

    response = post_report(client, notes='<script>alert("x")</script><b>bold</b>')
    page = client.get(response["Location"], **EN).content.decode()

    assert "<script>alert" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_silent_call_details_are_dropped_when_the_channel_is_not_a_silent_call(client, reporter):
    client.force_login(reporter)

    post_report(client, channel="sms", silent_seconds="4", background_noise="true")

    report = ContactReport.objects.get()
    assert (report.silent_seconds, report.background_noise) == (None, None)


def test_silent_call_details_are_kept_for_silent_calls(client, reporter):
    client.force_login(reporter)

    post_report(client, channel="silent_call", silent_seconds="3", background_noise="false")

    assert ContactReport.objects.values_list("silent_seconds", "background_noise").get() == (3, False)


def test_a_limit_reached_is_a_clear_message_with_status_429(client, reporter, submit):
    for _ in range(limits.MAX_REPORTS_PER_NUMBER_PER_DAY):
        submit(reporter)
    client.force_login(reporter)

    response = post_report(client)

    assert response.status_code == 429
    assert "already reported this number 10 times" in response.content.decode()


def test_nobody_else_can_open_my_report(client, reporter, make_person, submit):
    report = submit(reporter)
    client.force_login(make_person("nosy@example.org"))

    assert client.get(f"/report/{report.pk}/").status_code == 404


def test_the_contacted_phone_list_holds_only_my_own_numbers(client, reporter, make_person):
    stranger_phone = give_verified_phone(make_person("stranger@example.org"), "+393339998877")
    client.force_login(reporter)

    page = client.get("/report/", **EN).content.decode()
    response = post_report(client, contacted_phone=str(stranger_phone.pk))

    assert "+393339998877" not in page
    assert "Select a valid choice" in response.content.decode()
