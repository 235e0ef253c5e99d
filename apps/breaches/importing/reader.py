"""Open a leaked CSV safely: refuse what is not one, detect its encoding and delimiter, stream its rows.

Memory stays flat whatever the file: rows are read line by line (a line longer than MAX_LINE_CHARS is
skipped without being held), and only the identifier cells of each row leave this module.
"""

import codecs
import csv
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from apps.breaches.importing.columns import ColumnPlan, plan_columns
from apps.breaches.importing.errors import ImportRejected

SAMPLE_BYTES = 1 << 20  # enough lines to judge the encoding and the delimiter of any real export
MAX_LINE_CHARS = 256 * 1024  # a longer physical line is a "row too wide", never read into memory whole
MAX_COLUMNS = 1000  # a row with more fields is "too wide" (and so is a header with more)
DELIMITERS = ",;\t|"
_TOO_LONG_LINE = "\ue000\n"  # stands for a skipped over-long line, so the csv module still counts the line

_MAGIC = (
    (b"PK\x03\x04", _("an Excel workbook or a zip archive")),
    (b"\xd0\xcf\x11\xe0", _("an old Excel (.xls) or Word document")),
    (b"%PDF", _("a PDF document")),
    (b"\x1f\x8b", _("a gzip archive")),
    (b"7z\xbc\xaf", _("a 7-Zip archive")),
    (b"Rar!", _("a RAR archive")),
    (b"SQLite format 3", _("an SQLite database")),
)


@dataclass(frozen=True)
class Chunk:
    rows: list  # [(line number, identifier cells or a reason code)]
    rows_read: int
    bytes_read: int


class CsvSource:
    """One CSV file on disk, checked and inspected on construction (raises ImportRejected)."""

    def __init__(self, path, *, max_bytes: int, encoding: str | None = None, delimiter: str | None = None):
        self.path = os.fspath(path)
        self.size = _checked_size(self.path, max_bytes)
        with open(self.path, "rb") as file:
            sample = file.read(SAMPLE_BYTES)
        _refuse_binary(sample)
        self.encoding = _checked_encoding(encoding) if encoding else detect_encoding(sample)
        text = _decode_sample(sample, self.encoding, final=self.size <= SAMPLE_BYTES)
        if not text.strip():
            raise ImportRejected(_("The file is empty."))
        self.delimiter = _checked_delimiter(delimiter) if delimiter else detect_delimiter(text)

    @property
    def options(self) -> dict:
        return {"encoding": self.encoding, "delimiter": self.delimiter}

    def chunks(self, *, phone_columns=None, email_columns=None, rows_per_chunk: int = 20_000):
        """(ColumnPlan, iterator of Chunk). The plan comes from the header; the iterator reads the rest."""
        rows = self._rows()
        header = []
        while not (header.__class__ is str or any(header)):  # blank lines before the header
            try:
                _line, header = next(rows)
            except StopIteration:
                raise ImportRejected(_("The file is empty.")) from None
        if isinstance(header, str) or len(header) > MAX_COLUMNS:
            raise ImportRejected(
                _("The header row is too wide (more than %(count)s columns).") % {"count": MAX_COLUMNS}
            )
        plan = plan_columns(header, phone_columns=phone_columns, email_columns=email_columns)
        return plan, self._chunks(rows, plan, rows_per_chunk)

    def _chunks(self, rows, plan: ColumnPlan, rows_per_chunk: int) -> Iterator[Chunk]:
        positions = plan.phones + plan.emails
        needed = max(positions) + 1
        pick = itemgetter(*positions) if len(positions) > 1 else (lambda row, i=positions[0]: (row[i],))
        batch = []
        rows_read = 0
        for line, row in rows:
            if row.__class__ is str:  # a reason code from _rows()
                batch.append((line, row))
            elif not any(row):
                continue  # blank lines and rows of empty cells are not data
            elif len(row) > MAX_COLUMNS:
                batch.append((line, "too_wide"))
            elif len(row) >= needed:
                batch.append((line, pick(row)))
            else:  # a short row: the missing cells are empty
                batch.append((line, tuple(row[i] if i < len(row) else "" for i in positions)))
            if len(batch) >= rows_per_chunk:
                rows_read += len(batch)
                yield Chunk(batch, rows_read, self._binary.tell())
                batch = []
        rows_read += len(batch)
        yield Chunk(batch, rows_read, self.size)

    def _rows(self) -> Iterator[tuple[int, list | str]]:
        """(line, fields) for every record, or (line, reason code) for one that cannot be read."""
        with open(self.path, "rb") as binary:
            self._binary = binary
            text = io.TextIOWrapper(binary, encoding=self.encoding, errors="strict", newline="")
            reader = csv.reader(_bounded_lines(text), delimiter=self.delimiter)
            while True:
                start = reader.line_num + 1  # a quoted field can span lines: a row is known by its first
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error:  # e.g. a quoted field longer than csv.field_size_limit()
                    yield start, "too_wide"
                    continue
                except UnicodeDecodeError:
                    line = _first_undecodable_line(self.path, self.encoding) or start
                    raise ImportRejected(
                        _(
                            "Line %(line)s of the file is not valid %(encoding)s text. Give the file's encoding "
                            "with --encoding (for example utf-8 or cp1252)."
                        )
                        % {"encoding": self.encoding, "line": line}
                    ) from None
                if len(row) == 1 and row[0] == _TOO_LONG_LINE[0]:
                    yield start, "too_wide"
                else:
                    yield start, row


def _bounded_lines(text) -> Iterator[str]:
    readline = text.readline
    while line := readline(MAX_LINE_CHARS):
        if len(line) == MAX_LINE_CHARS and line[-1] not in "\r\n":
            while (rest := readline(MAX_LINE_CHARS)) and rest[-1] not in "\r\n":
                pass
            yield _TOO_LONG_LINE
        else:
            yield line


def _first_undecodable_line(path: str, encoding: str) -> int | None:
    """The line holding the first byte `encoding` cannot decode (the text reader decodes blocks ahead of the
    rows, so its own position is only approximate). None for encodings where lines are not byte lines."""
    if codecs.lookup(encoding).name.startswith("utf-16"):
        return None
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    with open(path, "rb") as file:
        for number, line in enumerate(file, start=1):
            try:
                decoder.decode(line)
            except UnicodeDecodeError:
                return number
    return None


def _checked_size(path: str, max_bytes: int) -> int:
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        raise ImportRejected(_("There is no file at %(path)s.") % {"path": path}) from None
    except OSError as error:
        raise ImportRejected(
            _("The file cannot be read: %(error)s.") % {"error": error.strerror or error.__class__.__name__}
        ) from None
    if not os.path.isfile(path):
        raise ImportRejected(_("%(path)s is not a regular file.") % {"path": path})
    if stat.st_size == 0:
        raise ImportRejected(_("The file is empty."))
    if stat.st_size > max_bytes:
        raise ImportRejected(
            _("The file is %(size)s; files over %(limit)s are refused. Split it and import the parts.")
            % {"size": filesizeformat(stat.st_size), "limit": filesizeformat(max_bytes)}
        )
    return stat.st_size


def _refuse_binary(sample: bytes) -> None:
    for magic, what in _MAGIC:
        if sample.startswith(magic):
            raise ImportRejected(
                _("This is %(what)s, not a CSV file. Export the sheet as CSV and import that.") % {"what": what}
            )
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportRejected(_("This is a binary file, not CSV text. Export the data as CSV and import that."))


def detect_encoding(sample: bytes) -> str:
    """utf-16 with its byte-order mark (Excel's "Unicode text"), utf-8-sig when the sample is valid UTF-8
    (with or without a BOM), else cp1252, the Windows code page Italian offices export in, else latin-1."""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            # final=False: the sample may end in the middle of a multi-byte character
            codecs.getincrementaldecoder(encoding)("strict").decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"  # decodes anything; cp1252 failed only on its five unassigned bytes


def _checked_encoding(encoding: str) -> str:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise ImportRejected(_("Unknown encoding %(encoding)s.") % {"encoding": repr(encoding)}) from None
    return "utf-8-sig" if name == "utf-8" else name  # a BOM is never part of the first header


def _decode_sample(sample: bytes, encoding: str, *, final: bool) -> str:
    try:
        return codecs.getincrementaldecoder(encoding)("strict").decode(sample, final=final)
    except UnicodeDecodeError as error:
        raise ImportRejected(
            _("The file is not valid %(encoding)s text (byte %(position)s). Check --encoding.")
            % {"encoding": encoding, "position": error.start}
        ) from None


def _checked_delimiter(delimiter: str) -> str:
    aliases = {"tab": "\t", "\\t": "\t", "semicolon": ";", "comma": ",", "pipe": "|"}
    delimiter = aliases.get(delimiter.lower(), delimiter)
    if len(delimiter) != 1 or delimiter.isalnum() or delimiter in "\"'\r\n":
        raise ImportRejected(
            _("The delimiter must be one character such as , ; | or tab, not %(delimiter)s.")
            % {"delimiter": repr(delimiter)}
        )
    return delimiter


def detect_delimiter(text: str) -> str:
    """csv.Sniffer restricted to , ; tab and |, on whole lines of the sample; when it cannot decide, the
    candidate found most often in the header line (a one-column file gets ",")."""
    lines = text.splitlines(keepends=True)
    if len(lines) > 1:
        lines = lines[:-1]  # the last one may be cut short
    sample = "".join(lines[:200])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        header = lines[0] if lines else ""
        counts = {candidate: header.count(candidate) for candidate in DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","
