"""What a case officer does on the moderation page in a real browser: filter, tick the whole page, hide it."""

import pytest

from apps.reports.models import ContactReport
from tests.conftest import PASSWORD
from tests.reports.test_moderation import stored_reports

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in_as_officer(page, live_server, make_person, with_totp):
    officer = make_person("officer@example.org", is_staff=True)
    code = with_totp(officer)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", "officer@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.fill("input[name=code]", code())
    page.press("input[name=code]", "Enter")
    page.wait_for_url("**/me/**")
    return officer


def test_an_officer_filters_the_reports_ticks_the_page_and_hides_them_in_one_go(
    live_server, new_page, screenshot, make_person, with_totp
):
    page = new_page(locale="it-IT")
    log_in_as_officer(page, live_server, make_person, with_totp)
    reporter = make_person("flooder@example.org")
    flood = stored_reports(reporter, 55, channel="whatsapp", notes="Copia e incolla", e164="+2348030000011")
    stored_reports(reporter, 3, channel="call", e164="+2348030000012")

    page.goto(live_server.url + "/officers/reports/")
    page.select_option("select[name=channel]", "whatsapp")
    page.locator(".moderation-filters button[type=submit]").click()
    page.wait_for_url("**channel=whatsapp**")
    assert page.locator("#moderation-count").inner_text().startswith("55 ")
    assert page.locator("#moderation-reports tbody tr").count() == 50  # one page
    screenshot(page, "officer-moderation-filtered-it")

    page.check("[data-select-all]")
    assert page.locator("input[name=report]:checked").count() == 50
    page.fill("#bulk-actions input[name=reason]", "Messaggi copiati in serie")
    page.click("#bulk-actions button[value=hide]")

    page.wait_for_selector(".flash-success")
    assert "50 segnalazioni" in page.locator(".flash-success").inner_text()
    assert "channel=whatsapp" in page.url  # back on the same filtered page
    assert ContactReport.objects.filter(hidden=True).count() == 50
    assert set(ContactReport.objects.filter(hidden=True).values_list("pk", flat=True)) <= {r.pk for r in flood}
    assert not ContactReport.objects.filter(channel="call", hidden=True).exists()
    screenshot(page, "officer-moderation-hidden-it")


def test_the_moderation_page_fits_a_phone(live_server, new_page, screenshot, make_person, with_totp):
    page = new_page(locale="it-IT", width=390, height=844)
    log_in_as_officer(page, live_server, make_person, with_totp)
    stored_reports(make_person("someone@example.org"), 5, notes="Mi hanno chiesto il codice fiscale")

    page.goto(live_server.url + "/officers/reports/")

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "officer-moderation-phone-it")
