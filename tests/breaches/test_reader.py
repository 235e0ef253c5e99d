import pytest
from django.utils import translation

from apps.breaches.importing.errors import ImportRejected
from apps.breaches.importing.reader import MAX_COLUMNS, CsvSource, detect_delimiter, detect_encoding

MiB = 1 << 20


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


ROWS = [["Cognome", "Città", "Cellulare"], ["Rossi", "Forlì", "333 123 4567"], ["Mattè", "Cantù", "333 765 4321"]]


def _rows(source: CsvSource, **options):
    plan, chunks = source.chunks(**options)
    return plan, [row for chunk in chunks for row in chunk.rows]


@pytest.mark.parametrize(
    ("encoding", "detected"), [("utf-8", "utf-8-sig"), ("utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252")]
)
def test_utf8_with_or_without_bom_and_windows_1252_are_detected(write_csv, encoding, detected):
    source = CsvSource(write_csv(ROWS, encoding=encoding), max_bytes=MiB)

    plan, rows = _rows(source)

    assert source.encoding == detected
    assert plan.headers[1] == "Città"  # accents read right, and no BOM glued to the first header
    assert plan.headers[0] == "Cognome"
    assert rows == [(2, ("333 123 4567",)), (3, ("333 765 4321",))]


def test_excel_unicode_text_utf16_is_read(write_csv):
    source = CsvSource(write_csv(ROWS, encoding="utf-16", delimiter="\t"), max_bytes=MiB)

    assert (source.encoding, source.delimiter) == ("utf-16", "\t")
    assert _rows(source)[1][0] == (2, ("333 123 4567",))


def test_bytes_cp1252_leaves_undefined_are_read_as_latin1():
    assert detect_encoding("Cognome;Città\n".encode("cp1252") + b"\x81\n") == "latin-1"


def test_a_utf8_sample_cut_inside_a_character_is_still_utf8():
    assert detect_encoding("Città".encode()[:-1]) == "utf-8-sig"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_are_detected(write_csv, delimiter):
    rows = [["Cognome", "Nome", "Telefono"], ["Rossi", "Mario, detto Super", "3331234567"]] * 3
    assert CsvSource(write_csv(rows, delimiter=delimiter), max_bytes=MiB).delimiter == delimiter


def test_a_one_column_file_gets_a_comma():
    assert detect_delimiter("Telefono\n3331234567\n3337654321\n") == ","


def test_a_given_encoding_or_delimiter_wins_and_names_are_understood(write_csv):
    source = CsvSource(write_csv(ROWS, delimiter=";"), max_bytes=MiB, encoding="UTF8", delimiter="semicolon")
    assert (source.encoding, source.delimiter) == ("utf-8-sig", ";")


def test_the_wrong_encoding_given_is_a_clear_refusal(write_csv):
    path = write_csv(ROWS, encoding="cp1252")
    with pytest.raises(ImportRejected, match="not valid utf-8"):
        CsvSource(path, max_bytes=MiB, encoding="utf-8")


def test_an_invalid_byte_after_the_sample_is_refused_with_its_line(tmp_path, monkeypatch):
    monkeypatch.setattr("apps.breaches.importing.reader.SAMPLE_BYTES", 64)
    path = tmp_path / "late.csv"
    path.write_bytes(b"Telefono\n" + b"3331234567\n" * 20 + "Città\n".encode("cp1252"))
    with pytest.raises(ImportRejected, match="Line 22 of the file is not valid utf-8"):
        _rows(CsvSource(path, max_bytes=MiB))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\n\n  \n", "empty"),
        (b"PK\x03\x04rest of a workbook", "Excel workbook"),
        (b"%PDF-1.7", "PDF"),
        (b"\x1f\x8b\x08compressed", "gzip"),
        (b"Telefono\x00\x01\x02\xff", "binary file"),
    ],
)
def test_files_that_are_not_csv_text_are_refused_by_name(tmp_path, content, message):
    path = tmp_path / "upload.csv"
    path.write_bytes(content)
    with pytest.raises(ImportRejected, match=message):
        CsvSource(path, max_bytes=MiB)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as file:
        file.truncate(2 * 1024**3)  # a sparse 2 GB file: nothing is written, nothing should be read
    monkeypatch.setattr("builtins.open", _forbidden_open(path))

    with pytest.raises(ImportRejected, match="2.0.GB") as refused:
        CsvSource(path, max_bytes=1024**3)
    assert "1.0\xa0GB" in str(refused.value)


def _forbidden_open(path):
    real_open = open

    def guarded(name, *args, **kwargs):
        assert str(name) != str(path), "the size limit must be checked before the file is opened"
        return real_open(name, *args, **kwargs)

    return guarded


def test_a_missing_file_is_a_clear_refusal(tmp_path):
    with pytest.raises(ImportRejected, match="There is no file"):
        CsvSource(tmp_path / "nope.csv", max_bytes=MiB)


def test_a_row_with_ten_thousand_columns_is_skipped_as_too_wide(write_csv):
    path = write_csv(
        [["Nome", "Telefono"], ["A", "3331234567"], ["B", "3331234567"] + [""] * 10_000, ["C", "3337654321"]]
    )
    assert _rows(CsvSource(path, max_bytes=MiB))[1] == [(2, ("3331234567",)), (3, "too_wide"), (4, ("3337654321",))]


def test_a_header_with_ten_thousand_columns_is_refused(write_csv):
    with pytest.raises(ImportRejected, match=f"more than {MAX_COLUMNS}"):
        _rows(CsvSource(write_csv([["Telefono"] * 10_000, ["3331234567"]]), max_bytes=MiB))


def test_a_huge_line_is_skipped_without_being_held_and_counting_continues(tmp_path):
    path = tmp_path / "long.csv"
    path.write_bytes(b"Telefono;Note\n3331234567;ok\n3331234567;" + b"x" * 3_000_000 + b"\n3337654321;ok\n")

    assert _rows(CsvSource(path, max_bytes=10 * MiB))[1] == [
        (2, ("3331234567",)),
        (3, "too_wide"),
        (4, ("3337654321",)),
    ]


def test_a_quoted_field_over_the_csv_limit_is_skipped_as_too_wide(tmp_path):
    field = "x" * 200_000  # above csv.field_size_limit(), in lines short enough to pass the line guard
    quoted = '"' + "\n".join(field[i : i + 1000] for i in range(0, len(field), 1000)) + '"'
    path = tmp_path / "quoted.csv"
    path.write_text(f"Telefono;Note\n3331234567;{quoted}\n3337654321;ok\n")

    rows = _rows(CsvSource(path, max_bytes=10 * MiB))[1]
    # The csv module resumes inside the quoted field, so its remaining lines come out as odd rows (they are
    # then skipped as invalid); the import goes on and reads the next real row.
    assert rows[0] == (2, "too_wide")
    assert rows[-1] == (202, ("3337654321",))


def test_short_rows_have_empty_cells_and_blank_rows_are_not_data(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("Nome;Telefono;Email\nRossi\n\n;;\nBianchi;3331234567;b@x.it\n")

    assert _rows(CsvSource(path, max_bytes=MiB))[1] == [(2, ("", "")), (5, ("3331234567", "b@x.it"))]


def test_byte_progress_is_reported_with_each_chunk(write_csv):
    path = write_csv([["Telefono"]] + [["3331234567"]] * 1000)
    _plan, chunks = CsvSource(path, max_bytes=MiB).chunks(rows_per_chunk=400)
    seen = [(chunk.rows_read, chunk.bytes_read) for chunk in chunks]

    assert [rows for rows, _ in seen] == [400, 800, 1000]
    assert seen[-1][1] == path.stat().st_size
