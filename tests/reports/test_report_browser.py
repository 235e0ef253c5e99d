"""Reporting a contact in a real Chromium, on a phone-sized screen, in Italian."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.reports.conftest import give_verified_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base: str, email: str):
    page.goto(base + "/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action='/accounts/login/'] button[type=submit]:not([form])").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def test_a_person_reports_a_contact_on_a_phone_in_a_few_steps(live_server, new_page, screenshot, make_person):
    from apps.reports.models import ContactReport

    person = make_person("giulia@example.org")
    give_verified_phone(person)
    page = new_page(locale="it-IT", width=390, height=844)
    log_in(page, live_server.url, person.email)

    started = time.perf_counter()
    page.goto(live_server.url + "/report/")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    number = page.locator("input[name=caller_number]")
    expect(number).to_be_focused()
    expect(number).to_have_attribute("inputmode", "tel")
    screenshot(page, "report-form-phone-it")
    number.fill("+234 803 123 4567")
    page.locator("label.choice:has(input[value=whatsapp])").click()
    page.locator("form.report-form button[type=submit]").click()

    expect(page.locator("#report-saved")).to_be_visible()
    elapsed = time.perf_counter() - started
    expect(page.locator("h1 .number-e164")).to_have_text("+234 803 123 4567")  # as it is dialled back
    expect(page.locator(".number-facts").first).to_contain_text("Nigeria")
    expect(page.locator("#report-another")).to_be_visible()
    screenshot(page, "report-result-phone-it")
    report = ContactReport.objects.get()
    assert report.channel == "whatsapp" and report.reporter == person
    assert report.contacted_phone == person.phones.get()  # the only phone is chosen for them
    assert elapsed < 30

    # A wrong channel is corrected from the same page, in the same form, filled in.
    page.locator("#correct-report").click()
    expect(page.locator("h1")).to_have_text("Correggi la tua segnalazione")
    expect(page.locator("input[name=caller_number]")).to_have_value("+2348031234567")
    page.locator("label.choice:has(input[value=sms])").click()
    page.locator("form.report-form button[type=submit]").click()
    expect(page.locator("#report-saved")).to_be_visible()
    screenshot(page, "report-corrected-phone-it")
    report.refresh_from_db()
    assert report.channel == "sms"

    page.locator("#report-another").click()
    expect(page.locator("input[name=caller_number]")).to_have_value("")


def test_the_silent_call_questions_appear_only_for_silent_calls(live_server, new_page, screenshot, make_person):
    from apps.reports.models import ContactReport

    person = make_person("marco@example.org")
    page = new_page(locale="it-IT", width=390, height=844)
    log_in(page, live_server.url, person.email)
    page.goto(live_server.url + "/report/")
    page.locator("input[name=caller_number]").fill("00880 1011 000000")
    page.locator("form.report-form details > summary").click()
    expect(page.locator("input[name=silent_seconds]")).to_be_hidden()

    page.locator("label.choice:has(input[value=silent_call])").click()
    expect(page.locator("input[name=silent_seconds]")).to_be_visible()
    page.locator("input[name=silent_seconds]").fill("4")
    page.locator("select[name=background_noise]").select_option("false")
    screenshot(page, "report-silent-call-phone-it")
    page.locator("form.report-form button[type=submit]").click()

    expect(page.locator("#report-saved")).to_be_visible()
    report = ContactReport.objects.get()
    assert (report.channel, report.silent_seconds, report.background_noise) == ("silent_call", 4, False)
    assert report.low_weight and not report.caller.valid


def test_a_bad_number_is_shown_next_to_the_field_in_italian(live_server, new_page, make_person):
    person = make_person("sara@example.org")
    page = new_page(locale="it-IT", width=390, height=844)
    log_in(page, live_server.url, person.email)
    page.goto(live_server.url + "/report/")

    page.locator("input[name=caller_number]").fill("chiamami")
    page.locator("form.report-form button[type=submit]").click()

    expect(page.locator(".errorlist").first).to_contain_text("non sembra un numero di telefono")
