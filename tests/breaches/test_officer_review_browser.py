"""A case officer reviews declarations and maps typed brands in a real browser, in Italian."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from apps.breaches.matching import exposure_declare
from apps.breaches.models import Breach, Exposure
from apps.reports.models import ContactReport
from apps.reports.services import report_submit
from tests.reports.test_moderation_browser import log_in_as_officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def declared(make_person, organisation):
    breach = Breach.objects.create(
        organisation=organisation, title="Archivio concorso", slug="archivio", occurred_on=date(2024, 11, 15)
    )
    people = []
    for i in range(3):
        person = make_person(f"dichiarato{i}@example.org")
        exposure_declare(person=person, breach=breach)
        report_submit(
            reporter=person, caller_number="+234 803 123 4567", channel="call",
            occurred_at=timezone.now() - timedelta(hours=1), impersonated_brand=f"Banca Zorro{'!' * i}",
        )  # fmt: skip
        people.append(person)
    return people


def test_an_officer_confirms_a_declaration_and_rejects_another(
    live_server, new_page, screenshot, make_person, with_totp, declared
):
    page = new_page(locale="it-IT")
    log_in_as_officer(page, live_server, make_person, with_totp)

    page.goto(live_server.url + "/officers/declarations/")
    assert page.locator("#declarations-count").inner_text().startswith("3 dichiarazioni")
    screenshot(page, "officer-declarations-it")
    first, second = (Exposure.objects.get(person=p) for p in declared[:2])
    page.check(f"#declaration-{first.pk} input[type=checkbox]")
    page.click("#decide-many button[value=accept]")
    page.wait_for_selector(".flash-success")
    assert "1 dichiarazione confermata" in page.locator(".flash-success").inner_text()
    page.click(f"#declaration-{second.pk} button[value=reject]")
    page.wait_for_selector(".flash-success")

    assert Exposure.objects.get(pk=first.pk).established == "confirmed"
    assert not Exposure.objects.filter(pk=second.pk).exists()
    assert page.locator("#declarations tbody tr").count() == 1


def test_an_officer_maps_a_typed_brand_on_a_phone(live_server, new_page, screenshot, make_person, with_totp, declared):
    page = new_page(locale="it-IT", width=390, height=844)
    log_in_as_officer(page, live_server, make_person, with_totp)

    page.goto(live_server.url + "/officers/brands/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    row = page.locator("#unmatched-brands tbody tr").first
    assert "Banca Zorro" in row.inner_text()
    screenshot(page, "officer-brands-phone-it")
    row.locator("select[name=brand]").select_option("unicredit")
    row.locator("button").click()
    page.wait_for_selector(".flash-success")

    assert "Associato a UniCredit" in page.locator(".flash-success").inner_text()
    assert set(ContactReport.objects.values_list("curated_brand", flat=True)) == {"unicredit"}  # ! is punctuation
