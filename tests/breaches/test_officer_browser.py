import pytest

from apps.breaches.models import ExposedIdentifier
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEAK = "Cognome;Nome;Cellulare;E-mail\nRossi;Luca;333 123 4567;luca@example.org\nBianchi;Sara;12;sara@\n"


def test_an_officer_registers_a_breach_and_imports_its_leak_in_the_browser(
    live_server, new_page, screenshot, make_person, with_totp, settings, tmp_path
):
    settings.BREACH_IMPORT_DIR = tmp_path
    officer = make_person("officer@example.org", is_staff=True)
    code = with_totp(officer)
    page = new_page(locale="en-GB")
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", "officer@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.fill("input[name=code]", code())
    page.press("input[name=code]", "Enter")

    page.goto(live_server.url + "/officers/breaches/new/")
    page.fill("input[name=title_en]", "Contest archive 2022")
    page.fill("input[name=slug]", "contest-2022")
    page.fill("input[name=organisation_name]", "INPS Servizi S.p.A.")
    page.fill("input[name=occurred_on]", "2024-11-15")
    page.check("input[name=data_categories][value=phone]")
    page.check("input[name=data_categories][value=email]")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Import dataset").click()
    page.set_input_files(
        "input[name=file]", {"name": "leak.csv", "mimeType": "text/csv", "buffer": LEAK.encode("latin-1")}
    )
    page.get_by_role("button", name="Import").click()

    summary = page.locator("#import-summary")
    summary.wait_for()
    assert page.locator("#import-progress").get_attribute("data-status") == "succeeded"
    assert "Rows read 2" in " ".join(summary.inner_text().split())
    assert ExposedIdentifier.objects.count() == 2
    screenshot(page, "officer-import-summary-en")
