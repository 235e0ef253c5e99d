"""Counts inside Italian sentences read as an Italian writes them: digits grouped with a dot ("1.732 righe"),
the singular for one, and the same words in English with the English grouping."""

import pytest
from django.utils import translation

from apps.accounts.models import InvitationBatch, Membership
from apps.breaches.importing.summary import summary_lines
from apps.breaches.models import Breach, DatasetImport

pytestmark = pytest.mark.django_db
IT = {"HTTP_ACCEPT_LANGUAGE": "it"}


@pytest.fixture
def breach(organisation):
    return Breach.objects.create(organisation=organisation, title="Archivio", slug="archivio", occurred_on="2024-11-15")


@pytest.fixture
def finished_import(breach, make_person):
    return DatasetImport.objects.create(
        breach=breach,
        requested_by=make_person("officer@example.org", is_staff=True),
        status=DatasetImport.Status.SUCCEEDED,
        progress=100,
        rows_read=12_345,
        phones_stored=10_002,
        problem_rows=1_732,
        skipped_rows=[{"line": 7, "reason": "no_identifier"}],
    )


def test_the_import_page_groups_its_counts_in_italian(client, finished_import, with_totp):
    with_totp(finished_import.requested_by)
    client.force_login(finished_import.requested_by)

    html = client.get(f"/officers/imports/{finished_import.pk}/", **IT).content.decode()

    assert "1.732 righe con problemi" in html
    assert "<td>12.345</td>" in html and "<td>10.002</td>" in html
    assert "1732" not in html and "12345" not in html


def test_the_import_summary_is_grouped_in_the_language_of_the_reader(finished_import):
    with translation.override("it"):
        italian = summary_lines(finished_import)
    with translation.override("en"):
        english = summary_lines(finished_import)

    assert italian[0].endswith("12.345") and english[0].endswith("12,345")


def test_the_invitation_progress_groups_the_numbers_in_italian(client, organisation, make_person, with_totp):
    hr = make_person("hr@example.org")
    Membership.objects.create(person=hr, organisation=organisation, role=Membership.Role.HR)
    with_totp(hr)
    client.force_login(hr)
    batch = InvitationBatch.objects.create(organisation=organisation, uploaded_by=hr, total=2_500, sent=1_732, failed=3)

    html = client.get(f"/organisations/{organisation.slug}/invitations/{batch.pk}/", **IT).content.decode()

    assert "Inviati 1.732 su 2.500, non riusciti 3." in html


@pytest.mark.parametrize(
    ("language", "left", "message"),
    [("en", 1, "Wrong code. 1 try left."), ("en", 3, "Wrong code. 3 tries left."), ("it", 1, "Tentativi rimasti: 1.")],
)
def test_the_wrong_code_message_says_one_try_in_the_singular(language, left, message, make_person, sms_outbox):
    from apps.accounts.services.phones import MAX_ATTEMPTS, PhoneVerificationError, phone_add, phone_verify

    phone = phone_add(person=make_person(), raw_number="333 123 4567")
    for _ in range(MAX_ATTEMPTS - left - 1):
        with pytest.raises(PhoneVerificationError):
            phone_verify(phone=phone, code="000000")

    with translation.override(language), pytest.raises(PhoneVerificationError) as error:
        phone_verify(phone=phone, code="000000")

    assert message in str(error.value.message)
