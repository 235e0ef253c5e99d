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
            "title_it": "Fuga",
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
            "title_it": "Fuga",
            "slug": "leak-2025",
            "organisation_name": "Telco S.p.A.",
            "occurred_on": "2025-03-01",
            "discovered_on": "2025-02-01",
            "data_categories": ["phone"],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "cannot be earlier than the date the breach occurred" in bad.content.decode()

    untitled = officer_client.post(
        "/officers/breaches/new/",
        {"slug": "leak-2025", "organisation_name": "Telco S.p.A.", "occurred_on": "2025-03-01"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Give the title in Italian, in English or in both." in untitled.content.decode()

    good = officer_client.post(
        "/officers/breaches/new/",
        {
            "title_it": "Fuga di dati Telco",
            "title_en": "Telco leak",
            "description_it": "Dati dei clienti.",
            "description_en": "Customer records.",
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
    italian = officer_client.get("/breaches/leak-2025/", HTTP_ACCEPT_LANGUAGE="it").content.decode()
    english = officer_client.get("/breaches/leak-2025/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Fuga di dati Telco</h1>" in italian and "Dati dei clienti." in italian
    assert "<h1>Telco leak</h1>" in english and "Customer records." in english and "Fuga" not in english


def test_the_officers_form_asks_for_the_title_and_description_in_both_languages(officer_client):
    page = officer_client.get("/officers/breaches/new/", HTTP_ACCEPT_LANGUAGE="it").content.decode()
    for field in ("title_it", "title_en", "description_it", "description_en"):
        assert f'name="{field}"' in page
    assert "Titolo (italiano)" in page and "Titolo (inglese)" in page


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
