"""The header on a phone: one row with "Report" and a menu button; and reporting from a number page, signed in
or not. In a real Chromium at 390 px, in Italian."""

import pytest
from playwright.sync_api import expect

from apps.reports.models import CallerNumber
from tests.reports.conftest import SCAM_E164
from tests.reports.test_report_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_on_a_phone_the_header_is_one_row_and_the_menu_button_opens_the_links(live_server, new_page, screenshot):
    page = new_page(locale="it-IT", width=390, height=844)
    page.goto(live_server.url + "/")

    brand, report, menu = page.locator(".site-nav .brand"), page.locator("#nav-report"), page.locator("#menu-button")
    tops = {round(item.bounding_box()["y"] + item.bounding_box()["height"] / 2) for item in (brand, report, menu)}
    assert max(tops) - min(tops) <= 4  # the three sit on one line
    assert page.locator(".site-header").bounding_box()["height"] < 80
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    search_link = page.locator("#site-menu").get_by_role("link", name="Chi mi ha chiamato?")
    expect(search_link).to_be_hidden()

    menu.click()
    expect(search_link).to_be_visible()
    expect(page.locator("#site-menu").get_by_role("link", name="Accedi")).to_be_visible()
    screenshot(page, "header-menu-open-phone-it")
    page.keyboard.press("Escape")
    expect(search_link).to_be_hidden()

    menu.click()
    search_link.click()
    expect(page).to_have_url(live_server.url + "/numbers/")


def test_on_a_desktop_the_links_are_in_the_header_without_a_menu_button(live_server, new_page):
    page = new_page(locale="it-IT", width=1280)
    page.goto(live_server.url + "/")

    expect(page.locator("#menu-button")).to_be_hidden()
    expect(page.locator(".site-header").get_by_role("link", name="Chi mi ha chiamato?")).to_be_visible()
    expect(page.locator("#nav-report")).to_be_visible()


@pytest.fixture
def public_number(make_reporters, submit):
    for person in make_reporters(3):
        submit(person, script="fake_amazon_voucher")
    return CallerNumber.objects.get(e164=SCAM_E164)


def test_an_anonymous_visitor_who_taps_report_is_told_why_and_comes_back_to_the_same_number(
    live_server, new_page, screenshot, public_number, make_person
):
    person = make_person("anna@example.org")
    page = new_page(locale="it-IT", width=390, height=844)
    page.goto(f"{live_server.url}/numbers/{SCAM_E164}/")

    page.locator("#report-this-number").click()
    expect(page.locator("#why-an-account")).to_contain_text("circa due minuti")
    expect(page.locator("#number-to-report")).to_contain_text(SCAM_E164)
    screenshot(page, "report-needs-an-account-phone-it")
    page.locator("#log-in-to-report").click()
    page.locator("input[name=login]").fill(person.email)
    page.locator("input[name=password]").fill("correct-horse-battery-42")
    page.locator("form[action^='/accounts/login/'] button[type=submit]:not([form])").click()

    expect(page.locator("input[name=caller_number]")).to_have_value(SCAM_E164)


def test_report_this_number_opens_the_form_with_the_number_filled_in(live_server, new_page, public_number, make_person):
    person = make_person("luca@example.org")
    page = new_page(locale="it-IT", width=390, height=844)
    log_in(page, live_server.url, person.email)
    page.goto(f"{live_server.url}/numbers/{SCAM_E164}/")

    page.locator("#report-this-number").click()

    expect(page.locator("input[name=caller_number]")).to_have_value(SCAM_E164)
    page.locator("form.report-form button[type=submit]").click()
    expect(page.locator("#report-saved")).to_be_visible()


def test_the_list_of_recent_numbers_becomes_cards_on_a_phone(live_server, new_page, public_number):
    page = new_page(locale="it-IT", width=390, height=844)
    page.goto(live_server.url + "/numbers/")

    row = page.locator("table.stack-on-phone tbody tr").first
    assert row.evaluate("row => getComputedStyle(row).display") == "block"
    country = row.locator("td[data-label=Paese]")
    expect(country).to_have_text("Nigeria")
    assert country.evaluate("cell => getComputedStyle(cell, '::before').content") == '"Paese: "'
    expect(page.locator("table.stack-on-phone thead")).not_to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
