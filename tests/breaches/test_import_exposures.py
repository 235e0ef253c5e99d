import hashlib
import os

import pytest
from django.db import connection
from django.utils import translation

from apps.breaches import services
from apps.breaches.importing import pipeline
from apps.breaches.importing.errors import ImportRejected
from apps.breaches.models import DatasetImport, ExposedIdentifier
from apps.breaches.services import import_exposures
from apps.phones.hashing import email_digest, phone_digest

pytestmark = pytest.mark.django_db

LEAK = [
    ["Cognome", "Nome", "Codice fiscale", "Cellulare", "E-mail", "Titolo di studio"],
    ["Zanzottera", "Ippolita", "ZNZPLT80A41H501X", "333 123 4567", "Ippolita.Z@Example.invalid", "Laurea"],  # 2
    ["Brambillasca", "Niccolò", "BRMNCC75B12F205Y", "+39 333-1234567", "", "Diploma"],  # 3: same phone
    ["Quagliarella", "Nives", "QGLNVS90C50L219Z", "not a number", "nives@", "Laurea"],  # 4: both invalid
    ["Scapigliati", "Oreste", "SCPRST66D20A944W", "", "", "Licenza"],  # 5: nothing
    ["Fumagalli", "Teodolinda", "FMGTDL85E60F205V", "0039 06 1234 5678", "broken@", "Laurea"],  # 6: bad e-mail
    ["Zanzottera", "Ippolita", "ZNZPLT80A41H501X", "(+39) 333.123.4567", " ippolita.z@example.invalid", "Laurea"],
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def stored(breach) -> set[tuple[str, bytes]]:
    return {(kind, bytes(digest)) for kind, digest in breach.exposed_identifiers.values_list("kind", "digest")}


def test_only_the_keyed_digests_of_normalised_identifiers_are_stored(breach, write_csv):
    import_exposures(breach=breach, path=write_csv(LEAK))

    assert stored(breach) == {
        ("phone", phone_digest("+393331234567")),
        ("phone", phone_digest("+390612345678")),
        ("email", email_digest("ippolita.z@example.invalid")),
    }


def test_the_summary_counts_rows_new_identifiers_duplicates_and_problem_lines(breach, write_csv):
    result = import_exposures(breach=breach, path=write_csv(LEAK, encoding="cp1252"))

    assert result.status == DatasetImport.Status.SUCCEEDED and result.progress == 100
    assert (result.rows_read, result.phones_stored, result.emails_stored) == (6, 2, 1)
    assert result.duplicates == 3  # line 3's phone, line 7's phone and e-mail
    assert (result.skipped, result.invalid_values, result.problem_rows) == (2, 3, 3)
    assert result.skipped_rows == [
        {"line": 4, "reason": "invalid_phone_and_email", "kept": False},
        {"line": 5, "reason": "no_identifier", "kept": False},
        {"line": 6, "reason": "invalid_email", "kept": True},
    ]
    assert result.options == {
        "phone_columns": ["Cellulare"], "email_columns": ["E-mail"], "region": "IT", "encoding": "cp1252",
        "delimiter": ";",
    }  # fmt: skip


def test_duplicates_count_repeats_in_the_file_and_identifiers_already_stored(breach, write_csv):
    path = write_csv([["Telefono", "Email"], ["3331234567", "a@x.invalid"], ["333 1234567", "A@X.invalid"]])

    first = import_exposures(breach=breach, path=path)
    second = import_exposures(breach=breach, path=path)

    assert (first.phones_stored, first.emails_stored, first.duplicates) == (1, 1, 2)
    assert (second.phones_stored, second.emails_stored, second.duplicates) == (0, 0, 4)


def test_importing_the_same_file_again_adds_nothing(breach, write_csv):
    path = write_csv(LEAK)
    import_exposures(breach=breach, path=path)
    before = stored(breach)

    again = import_exposures(breach=breach, path=path)

    assert stored(breach) == before and again.phones_stored == again.emails_stored == 0
    assert DatasetImport.objects.filter(breach=breach, status="succeeded").count() == 2


def test_the_same_identifier_in_two_breaches_is_stored_for_each(breach, organisation, write_csv):
    from apps.breaches.models import Breach

    other = Breach.objects.create(organisation=organisation, title="Other", slug="other", occurred_on="2025-01-01")
    path = write_csv([["Telefono"], ["3331234567"]])
    import_exposures(breach=breach, path=path)
    import_exposures(breach=other, path=path)

    assert ExposedIdentifier.objects.filter(digest=phone_digest("+393331234567")).count() == 2


def test_a_failure_midway_leaves_no_rows_and_a_failed_import_and_a_retry_completes(breach, write_csv, monkeypatch):
    path = write_csv([["Telefono"]] + [[f"333 000 {n:04d}"] for n in range(50)])
    monkeypatch.setattr(services, "ROWS_PER_CHUNK", 10)
    stager = pipeline.PostgresStager if connection.vendor == "postgresql" else pipeline.SqliteStager
    real_write, calls = stager.write, []

    def flaky_write(self, phones, emails):
        calls.append(len(phones))
        if len(calls) == 3:
            raise ConnectionError("the database went away")
        real_write(self, phones, emails)

    monkeypatch.setattr(stager, "write", flaky_write)
    with pytest.raises(ConnectionError):
        import_exposures(breach=breach, path=path)

    failed = DatasetImport.objects.get()
    assert failed.status == DatasetImport.Status.FAILED and "nothing was stored" in failed.error
    assert ExposedIdentifier.objects.count() == 0

    monkeypatch.setattr(stager, "write", real_write)
    retried = import_exposures(breach=breach, path=path, dataset_import=failed)
    assert retried.pk == failed.pk and retried.status == "succeeded" and retried.error == ""
    assert retried.phones_stored == ExposedIdentifier.objects.count() == 50


def test_a_failure_after_the_insert_rolls_the_insert_back(breach, write_csv, monkeypatch):
    def fail(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_dataset_import_succeed", fail)
    with pytest.raises(RuntimeError):
        import_exposures(breach=breach, path=write_csv(LEAK))

    assert ExposedIdentifier.objects.count() == 0
    assert DatasetImport.objects.get().status == DatasetImport.Status.FAILED


def test_no_value_from_the_file_appears_anywhere_in_the_database(breach, write_csv):
    import_exposures(breach=breach, path=write_csv(LEAK))
    with pytest.raises(ImportRejected):  # a refusal stores its message: it must not quote the file either
        import_exposures(breach=breach, path=write_csv([["Zanzottera", "333 123 4567"]], name="bad.csv"))
    raw_texts = {cell.strip().lower() for row in LEAK[1:] for cell in row if len(cell.strip()) > 5} | {
        "+393331234567", "3331234567", "+390612345678", "ippolita.z@example.invalid",
    }  # fmt: skip
    plain_hashes = [hashlib.sha256(value.encode()).digest() for value in ("+393331234567", "+390612345678")]
    plain_hashes += [hashlib.sha256(b"ippolita.z@example.invalid").digest()]

    texts, blobs = _every_value_in_the_database()

    assert texts and blobs  # the dump did read the tables
    for value in raw_texts | {digest.hex() for digest in plain_hashes}:
        assert not any(value in text for text in texts), value
    for digest in plain_hashes:
        assert not any(digest in blob for blob in blobs)


def _every_value_in_the_database() -> tuple[list[str], list[bytes]]:
    texts, blobs = [], []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [column.name for column in connection.introspection.get_table_description(cursor, table)]
            quoted = ", ".join(connection.ops.quote_name(name) for name in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, (bytes, memoryview)):
                        blobs.append(bytes(value))
                    elif value is not None:
                        texts.append(str(value).lower())
    return texts, blobs


def test_the_file_is_deleted_after_success_and_after_failure_when_asked(breach, write_csv):
    good, bad = write_csv(LEAK), write_csv([["Nome"], ["x"]], name="bad.csv")

    import_exposures(breach=breach, path=good, delete_file=True)
    with pytest.raises(ImportRejected):
        import_exposures(breach=breach, path=bad, delete_file=True)

    assert not good.exists() and not bad.exists()


def test_the_file_is_kept_unless_deletion_is_asked(breach, write_csv):
    path = write_csv(LEAK)
    import_exposures(breach=breach, path=path)
    assert path.exists()


def test_a_refused_file_marks_the_import_failed_with_a_message_that_quotes_nothing_from_it(breach, write_csv):
    path = write_csv([["Zanzottera", "3331234567"], ["Brambillasca", "3337654321"]])  # no header row

    with pytest.raises(ImportRejected) as refused:
        import_exposures(breach=breach, path=path)

    failed = DatasetImport.objects.get()
    assert failed.status == "failed" and failed.error == str(refused.value.message)
    assert "No column holds phone numbers" in failed.error
    assert "Zanzottera" not in failed.error and "Zanzottera" in str(refused.value)  # shown, never stored
    assert "3331234567" not in str(refused.value)


def test_a_header_without_rows_is_refused(breach, write_csv):
    with pytest.raises(ImportRejected, match="no data rows"):
        import_exposures(breach=breach, path=write_csv([["Telefono", "Email"]]))


def test_an_unknown_region_is_refused(breach, write_csv):
    with pytest.raises(ImportRejected, match="Unknown region"):
        import_exposures(breach=breach, path=write_csv(LEAK), region="XX")


def test_numbers_without_prefix_are_read_in_the_region_given(breach, write_csv):
    import_exposures(breach=breach, path=write_csv([["Phone"], ["020 7946 0018"]]), region="gb")
    assert stored(breach) == {("phone", phone_digest("+442079460018"))}


def test_columns_can_be_named_when_headers_are_not_recognised(breach, write_csv):
    path = write_csv([["Nome", "Recapito", "Contatto"], ["x", "3331234567", "x@y.invalid"]])

    result = import_exposures(breach=breach, path=path, phone_columns=["Recapito"], email_columns=["3"])

    assert (result.phones_stored, result.emails_stored) == (1, 1)


def test_the_problem_list_is_capped_but_the_counts_are_complete(breach, write_csv, monkeypatch):
    monkeypatch.setattr(DatasetImport, "SKIPPED_ROWS_KEPT", 5)
    result = import_exposures(breach=breach, path=write_csv([["Telefono"]] + [["bad"]] * 12))

    assert len(result.skipped_rows) == 5 and result.skipped == result.problem_rows == result.invalid_values == 12
    assert [entry["line"] for entry in result.skipped_rows] == [2, 3, 4, 5, 6]


def test_progress_is_reported_by_bytes_and_ends_at_100(breach, write_csv, monkeypatch):
    monkeypatch.setattr(services, "ROWS_PER_CHUNK", 100)
    seen = []
    result = import_exposures(
        breach=breach, path=write_csv([["Telefono"]] + [[f"3330{n:06d}"] for n in range(5000)]), progress=seen.append
    )

    assert seen == sorted(set(seen)) and seen[-1] == 100 and len(seen) > 3
    assert DatasetImport.objects.get(pk=result.pk).progress == 100


def test_worker_processes_give_the_same_result_as_in_process_reading(breach, organisation, write_csv):
    from apps.breaches.models import Breach

    other = Breach.objects.create(organisation=organisation, title="Other", slug="other", occurred_on="2025-01-01")
    rows = [["Cellulare", "Email"]] + [[f"+39 333 {n:07d}", f"p{n}@x.invalid"] for n in range(3000)] + LEAK[1:]
    path = write_csv(rows)

    inline = import_exposures(breach=breach, path=path, workers=1)
    pooled = import_exposures(breach=other, path=path, workers=2)

    assert stored(breach) == stored(other)
    fields = ("rows_read", "phones_stored", "emails_stored", "duplicates", "skipped", "invalid_values", "skipped_rows")
    assert [getattr(inline, f) for f in fields] == [getattr(pooled, f) for f in fields]
    assert os.path.exists(path)


def test_workers_start_even_from_a_daemonic_process_such_as_a_celery_prefork_child(breach, write_csv, monkeypatch):
    import multiprocessing

    current = multiprocessing.current_process()
    monkeypatch.setitem(current._config, "daemon", True)

    result = import_exposures(breach=breach, path=write_csv([["Telefono"], ["3331234567"]]), workers=2)

    assert result.phones_stored == 1 and current._config["daemon"] is True  # restored


def test_if_worker_processes_cannot_start_the_import_runs_in_process(breach, write_csv, monkeypatch):
    def no_processes(*args, **kwargs):
        raise OSError("fork: resource temporarily unavailable")

    monkeypatch.setattr("multiprocessing.context.SpawnContext.Pool", no_processes)

    result = import_exposures(breach=breach, path=write_csv([["Telefono"], ["3331234567"]]), workers=2)

    assert result.status == "succeeded" and result.phones_stored == 1
