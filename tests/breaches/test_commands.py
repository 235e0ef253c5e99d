from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from apps.breaches.models import Breach, DatasetImport, ExposedIdentifier, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_exposures_prints_the_summary_with_problem_lines(breach, write_csv):
    rows = [["Nome", "Telefono", "Email"], ["A", "333 123 4567", "a@x.invalid"], ["B", "nope", ""], ["C", "", ""]]

    out = run("import_exposures", "--breach", breach.slug, str(write_csv(rows)))

    assert (
        "Rows read: 3" in out and "Phone numbers stored (new): 1" in out and "E-mail addresses stored (new): 1" in out
    )
    assert "Rows skipped (nothing stored): 2" in out
    assert "line 3: invalid phone number" in out and "line 4: no phone number or e-mail address in the row" in out
    assert "succeeded" in out


def test_import_exposures_lists_twenty_problem_lines_then_how_many_more(breach, write_csv):
    out = run("import_exposures", "--breach", breach.slug, str(write_csv([["Telefono"]] + [["x"]] * 25)))

    assert "line 21: invalid phone number" in out and "line 22:" not in out
    assert "… and 5 more rows with problems" in out


def test_import_exposures_keeps_the_file_unless_told_to_delete_it(breach, write_csv):
    kept, deleted = write_csv([["Telefono"], ["3331234567"]]), write_csv([["Telefono"], ["3331234567"]], name="d.csv")

    run("import_exposures", "--breach", breach.slug, str(kept))
    run("import_exposures", "--breach", breach.slug, str(deleted), "--delete")

    assert kept.exists() and not deleted.exists()


def test_import_exposures_takes_columns_region_encoding_and_delimiter(breach, write_csv):
    path = write_csv([["Name", "Contact", "Note"], ["A", "020 7946 0018", "x"]], encoding="cp1252", delimiter="|")

    run(
        "import_exposures", "--breach", breach.slug, str(path), "--phone-column", "Contact", "--region", "GB",
        "--encoding", "cp1252", "--delimiter", "|",
    )  # fmt: skip

    assert DatasetImport.objects.get().options["phone_columns"] == ["Contact"]
    assert ExposedIdentifier.objects.count() == 1


def test_an_unknown_breach_is_a_command_error_listing_the_known_ones(breach, write_csv):
    with pytest.raises(CommandError, match="There is no breach 'nope'. Registered breaches: contest-archive"):
        run("import_exposures", "--breach", "nope", str(write_csv([["Telefono"], ["3331234567"]])))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty"),
        (b"PK\x03\x04xlsx", "Excel workbook"),
        (b"Nome;Cognome\nA;B\n", "No column holds phone numbers or e-mail addresses"),
        (b"Telefono\n" + "Citt\u00e0\n".encode("cp1252"), "not valid utf-8"),
    ],
)
def test_bad_files_end_with_a_clear_command_error(breach, tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    encoding = ["--encoding", "utf-8"] if b"Citt" in content else []

    with pytest.raises(CommandError, match=message):
        run("import_exposures", "--breach", breach.slug, str(path), *encoding)
    assert DatasetImport.objects.get().status == "failed"


def test_a_missing_file_is_a_command_error(breach, tmp_path):
    with pytest.raises(CommandError, match="There is no file"):
        run("import_exposures", "--breach", breach.slug, str(tmp_path / "missing.csv"))


def test_a_file_over_the_configured_limit_is_a_command_error(breach, write_csv, settings):
    settings.BREACH_IMPORT_MAX_BYTES = 10
    with pytest.raises(CommandError, match="files over 10\\W*bytes are refused"):
        run("import_exposures", "--breach", breach.slug, str(write_csv([["Telefono"], ["3331234567"]])))


REGISTER = [
    "register_breach", "--slug", "telco-2025", "--title", "Telco customers", "--organisation", "Telco S.p.A.",
    "--occurred", "2025-03-02", "--categories", "name,phone,email",
]  # fmt: skip


def test_register_breach_creates_the_breach_and_its_organisation():
    out = run(
        *REGISTER, "--discovered", "2025-03-20", "--disclosed", "2025-04-10", "--approx-people", "1200",
        "--source", "https://news.example.invalid/a", "--verified", "--sensitive", "--description", "Leak.",
    )  # fmt: skip

    breach = Breach.objects.get(slug="telco-2025")
    assert (breach.organisation.name, breach.organisation.slug) == ("Telco S.p.A.", "telco-spa")
    assert breach.occurred_on == date(2025, 3, 2) and breach.disclosed_on == date(2025, 4, 10)
    assert breach.data_categories == ["name", "phone", "email"] and breach.approx_people == 1200
    assert breach.sources == ["https://news.example.invalid/a"] and breach.is_verified and breach.is_sensitive
    assert "Created organisation" in out and "Registered breach telco-2025" in out


def test_register_breach_reuses_an_organisation_by_slug_or_name(organisation):
    run(*REGISTER[:5], "--organisation", organisation.slug, *REGISTER[7:])
    run(*[a if a != "telco-2025" else "telco-2026" for a in REGISTER[:5]], "--organisation", organisation.name.upper(),
        *REGISTER[7:])  # fmt: skip

    assert Organisation.objects.count() == 1 and organisation.breaches.count() == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (["--occurred", "15/11/2024"], "--occurred must be a date written YYYY-MM-DD, not '15/11/2024'"),
        (["--disclosed", "2025-02-30"], "--disclosed must be a date"),
        (["--categories", "name,phones"], "Unknown data categories: phones. Accepted: name, birth_date"),
        (["--discovered", "2025-01-01"], "cannot be earlier than the date the breach occurred"),
        (["--source", "ftp://x.invalid"], "http"),
        (["--approx-people", "-3"], "cannot be negative"),
    ],
)
def test_register_breach_refuses_bad_input_with_a_clear_message_and_creates_nothing(change, message):
    with pytest.raises(CommandError, match=message):
        run(*REGISTER, *change)
    assert not Breach.objects.exists() and not Organisation.objects.exists()


def test_register_breach_refuses_an_existing_slug_unless_asked_to_update():
    run(*REGISTER)
    with pytest.raises(CommandError, match="already exists"):
        run(*REGISTER)

    run(*[a if a != "Telco customers" else "Telco customers (updated)" for a in REGISTER], "--update")
    assert Breach.objects.get().title == "Telco customers (updated)"


def test_register_breach_takes_the_title_and_description_in_both_languages_and_updates_one_alone():
    run(*REGISTER, "--title-en", "Telco customers", "--description-it", "Dati dei clienti.", "--description-en",
        "Customer records.")  # fmt: skip
    breach = Breach.objects.get()
    # --title stays the Italian title, as before breaches had one per language.
    assert (breach.title_it, breach.title_en) == ("Telco customers", "Telco customers")
    assert (breach.description_it, breach.description_en) == ("Dati dei clienti.", "Customer records.")

    run(*REGISTER[:3], *REGISTER[5:], "--title-it", "Clienti Telco", "--update")
    breach.refresh_from_db()
    assert (breach.title_it, breach.title_en, breach.description_en) == (
        "Clienti Telco", "Telco customers", "Customer records.",
    )  # fmt: skip


def test_register_breach_without_any_title_is_refused():
    with pytest.raises(CommandError, match="Give the title in Italian, in English or in both"):
        run(*REGISTER[:3], *REGISTER[5:])
    assert not Breach.objects.exists()
