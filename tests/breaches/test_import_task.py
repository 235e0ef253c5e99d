import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from apps.breaches.models import DatasetImport, ExposedIdentifier
from apps.breaches.services import dataset_import_submit
from apps.breaches.tasks import import_dataset

pytestmark = pytest.mark.django_db

CSV = b"Cognome;Cellulare;E-mail\nRossi;333 123 4567;a@x.invalid\nBianchi;nope;\n"


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.BREACH_IMPORT_DIR = tmp_path / "imports"
    return settings.BREACH_IMPORT_DIR


def test_the_task_imports_updates_progress_and_status_and_deletes_the_file(breach, tmp_path):
    path = tmp_path / "upload.csv"
    path.write_bytes(CSV)
    queued = DatasetImport.objects.create(breach=breach, original_name="leak.csv", options={"region": "IT"})

    assert import_dataset.delay(queued.pk, str(path)).get() == "succeeded"

    done = DatasetImport.objects.get(pk=queued.pk)
    assert (done.status, done.progress, done.rows_read, done.phones_stored, done.emails_stored) == (
        "succeeded", 100, 2, 1, 1,
    )  # fmt: skip
    assert done.started_at and done.finished_at and not path.exists()


def test_a_rejected_file_fails_the_import_without_retrying_and_is_deleted(breach, tmp_path):
    path = tmp_path / "upload.csv"
    path.write_bytes(b"PK\x03\x04 a workbook")
    queued = DatasetImport.objects.create(breach=breach, original_name="leak.xlsx")

    with translation.override("en"):
        assert import_dataset.delay(queued.pk, str(path)).get() == "failed"

    failed = DatasetImport.objects.get(pk=queued.pk)
    assert failed.status == "failed" and "Excel workbook" in failed.error and not path.exists()


def test_an_unexpected_error_fails_the_import_deletes_the_file_and_propagates(breach, tmp_path, monkeypatch):
    path = tmp_path / "upload.csv"
    path.write_bytes(CSV)
    queued = DatasetImport.objects.create(breach=breach)
    monkeypatch.setattr("apps.breaches.services.pipeline.run", lambda **kw: 1 / 0)

    with pytest.raises(ZeroDivisionError):
        import_dataset.delay(queued.pk, str(path))

    assert DatasetImport.objects.get(pk=queued.pk).status == "failed" and not path.exists()
    assert ExposedIdentifier.objects.count() == 0


def test_the_task_for_a_vanished_import_only_deletes_the_file(tmp_path):
    path = tmp_path / "upload.csv"
    path.write_bytes(CSV)
    assert import_dataset(12345, str(path)) == "missing" and not path.exists()


def test_the_options_chosen_at_upload_are_used_by_the_task(breach, tmp_path):
    path = tmp_path / "upload.csv"
    path.write_bytes(b"Nome|Contatto\nA|020 7946 0018\n")
    queued = DatasetImport.objects.create(
        breach=breach, options={"phone_columns": ["Contatto"], "region": "GB", "delimiter": "|"}
    )

    import_dataset(queued.pk, str(path))

    assert DatasetImport.objects.get(pk=queued.pk).phones_stored == 1


def test_an_upload_is_kept_privately_and_queued_after_commit(
    breach, person, private_dir, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("leak.csv", CSV, content_type="text/csv")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        queued = dataset_import_submit(breach=breach, upload=upload, requested_by=person, region="IT")
        assert DatasetImport.objects.get().status == "queued"  # nothing runs before the commit

    assert len(callbacks) >= 1
    done = DatasetImport.objects.get(pk=queued.pk)
    assert done.status == "succeeded" and done.requested_by == person and done.original_name == "leak.csv"
    assert list(private_dir.iterdir()) == []  # deleted after the import


def test_an_upload_over_the_limit_is_refused_before_it_is_stored(breach, settings, private_dir):
    from apps.breaches.importing.errors import ImportRejected

    settings.BREACH_IMPORT_MAX_BYTES = 10
    with pytest.raises(ImportRejected):
        dataset_import_submit(breach=breach, upload=SimpleUploadedFile("leak.csv", CSV))
    assert not DatasetImport.objects.exists() and not (private_dir.exists() and any(private_dir.iterdir()))
