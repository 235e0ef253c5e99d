import json

import pytest

from apps.phones.display import as_dialled
from apps.reports.models import ContactReport, NumberDispute
from apps.reports.moderation import dispute_raise
from tests.conftest import PASSWORD
from tests.dbscan import cells_containing
from tests.reports.conftest import SCAM_E164

pytestmark = pytest.mark.django_db


def test_the_data_export_lists_my_reports_and_disputes(client, reporter, submit):
    phone = reporter.phones.get()
    submit(reporter, notes="they knew my name", contacted_phone=phone, outcome="lost_money", loss_eur="20")
    dispute_raise(number=submit(reporter).caller, who="Me", reason="Mistake", raised_by=reporter)
    client.force_login(reporter)

    data = json.loads(client.get("/me/export/").content)

    first = data["contact_reports"][0]
    assert first["caller_number"] == SCAM_E164 and first["notes"] == "they knew my name"
    assert first["contacted_phone"] == phone.number and first["loss_eur"] == "20.00"
    assert data["number_disputes"] == [
        {"number": SCAM_E164, "who": "Me", "contact": "", "reason": "Mistake", "status": "open"}
    ]


@pytest.mark.django_db(transaction=True)
def test_erasing_my_account_keeps_my_reports_only_as_anonymous_evidence(client, make_reporters, submit):
    people = make_reporters(3)
    for person in people:
        submit(person, notes=f"notes of {person.email}")
    dispute_raise(number=ContactReport.objects.first().caller, who="Mario Rossi", reason="x", raised_by=people[0])
    client.force_login(people[0])

    response = client.post("/me/erase/", {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 302
    assert cells_containing(people[0].email, "Mario Rossi") == []
    assert ContactReport.objects.count() == 3 and ContactReport.objects.filter(reporter__isnull=True).count() == 1
    assert not NumberDispute.objects.exists()
    number = ContactReport.objects.first().caller
    number.refresh_from_db()
    assert number.reporters_count == 3 and number.is_public and number.legitimate_evidence == 0


def test_my_reports_page_lists_what_i_reported(client, reporter, submit):
    submit(reporter, channel="sms")
    client.force_login(reporter)

    page = client.get("/me/reports/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert as_dialled(SCAM_E164) in page and "SMS" in page and 'href="/me/blocklist.vcf"' in page
