import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.breaches.models import Breach, DatasetImport, ExposedIdentifier

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, make_person, with_totp):
    officer = make_person("officer@example.org", is_staff=True)
    with_totp(officer)
    client.force_login(officer)
    return client


def test_members_cannot_open_the_registry(client, make_person):
    client.force_login(make_person())
    assert client.get("/officers/breaches/").status_code == 403


def test_an_officer_registers_a_breach_with_field_errors_first(officer_client):
    bad = officer_client.post(
        "/officers/breaches/new/",
        {
            "title": "Leak",
            "slug": "leak-2025",
            "organisation_name": "Telco S.p.A.",
            "occurred_on": "2025-03-01",
            "discovered_on": "2025-02-01",
            "sources": "not a link",
            "data_categories": ["phone"],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert bad.status_code == 200
    assert "is not an http(s) address" in bad.content.decode()

    bad = officer_client.post(
        "/officers/breaches/new/",
        {
            "title": "Leak",
            "slug": "leak-2025",
            "organisation_name": "Telco S.p.A.",
            "occurred_on": "2025-03-01",
            "discovered_on": "2025-02-01",
            "data_categories": ["phone"],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "cannot be earlier than the date the breach occurred" in bad.content.decode()

    good = officer_client.post(
        "/officers/breaches/new/",
        {
            "title": "Leak",
            "slug": "leak-2025",
            "organisation_name": "Telco S.p.A.",
            "occurred_on": "2025-03-01",
            "data_categories": ["phone", "email"],
            "sources": "https://example.org/news",
        },
    )
    assert good.status_code == 302
    breach = Breach.objects.get(slug="leak-2025")
    assert breach.organisation.name == "Telco S.p.A." and breach.sources == ["https://example.org/news"]


def test_an_upload_is_imported_by_the_task_and_its_summary_shown(
    officer_client, breach, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.BREACH_IMPORT_DIR = tmp_path
    leak = "Nome;Cellulare;E-mail\nLuca;333 123 4567;luca@example.org\nSara;12;sara@example\nLuca;3331234567;\n"
    upload = SimpleUploadedFile("leak.csv", leak.encode("latin-1"), content_type="text/csv")

    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(f"/officers/breaches/{breach.slug}/import/", {"file": upload, "region": "it"})

    job = DatasetImport.objects.get()
    assert response["Location"] == f"/officers/imports/{job.pk}/"
    assert job.status == "succeeded" and (job.rows_read, job.phones_stored, job.emails_stored) == (3, 1, 1)
    assert ExposedIdentifier.objects.filter(breach=breach).count() == 2
    assert list(tmp_path.iterdir()) == []  # the uploaded file is gone
    page = officer_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="import-summary"' in page and "invalid phone number" in page
    partial = officer_client.get(response["Location"], HTTP_X_PARTIAL="progress").content.decode()
    assert partial.strip().startswith('<section id="import-progress"') and "<html" not in partial


def test_an_unusable_upload_ends_as_a_failed_import_with_a_clear_message(
    officer_client, breach, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.BREACH_IMPORT_DIR = tmp_path
    upload = SimpleUploadedFile("leak.csv", b"Nome;Cognome\nLuca;Rossi\n", content_type="text/csv")

    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            f"/officers/breaches/{breach.slug}/import/", {"file": upload, "region": "IT"}, HTTP_ACCEPT_LANGUAGE="en"
        )

    job = DatasetImport.objects.get()
    assert job.status == "failed" and "No column holds phone numbers or e-mail addresses" in job.error
    assert ExposedIdentifier.objects.count() == 0 and list(tmp_path.iterdir()) == []
    page = officer_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No column holds phone numbers" in page
