"""Reading several contacts at once: a pasted list of numbers with times, or a call log exported from a phone.

Parsing only turns text into candidate rows (line, number as typed, time, channel); preview() runs each row
through the same rules as a single report (validation.report_clean and the daily limits) and says which
rows would be saved. services.reports_submit_many() then commits the accepted rows in one transaction.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core import formats
from apps.phones.enrich import LineType, enrich
from apps.reports.limits import ReportRateLimited, reporter_usage
from apps.reports.models import Channel
from apps.reports.validation import ReporterFacts, report_clean

MAX_ROWS = 500
MAX_UPLOAD_BYTES = 2 * 1024 * 1024

# "12/01/2025 09:30", "2025-01-12T09:30", "12.01.25 9.30", "2025-01-12"
_DATE_TIME = re.compile(
    r"(?P<date>\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})"
    r"(?:[ T,]+(?P<time>\d{1,2}[:.]\d{2})(?::\d{2})?)?"
)
# Words people and phones use for the kind of contact, in English and Italian.
_CHANNEL_WORDS = {
    "silent": Channel.SILENT_CALL,
    "silenziosa": Channel.SILENT_CALL,
    "muta": Channel.SILENT_CALL,
    "robocall": Channel.ROBOCALL,
    "registrata": Channel.ROBOCALL,
    "preregistrata": Channel.ROBOCALL,
    "sms": Channel.SMS,
    "whatsapp": Channel.WHATSAPP,
    "telegram": Channel.TELEGRAM,
    "email": Channel.EMAIL,
    "e-mail": Channel.EMAIL,
    "call": Channel.CALL,
    "chiamata": Channel.CALL,
    "telefonata": Channel.CALL,
}
_OUTGOING = {"2", "outgoing", "in uscita", "uscita", "effettuata", "dialed", "outgoing call"}
_NUMBER_HEADERS = {"number", "numero", "phone", "telefono", "phone number", "numero di telefono", "caller", "from",
                   "mittente", "address", "call number", "contatto"}  # fmt: skip
_DATE_HEADERS = {"date", "data", "datetime", "data e ora", "call date", "timestamp", "date time", "when", "quando"}
_TIME_HEADERS = {"time", "ora", "orario", "call time"}
_TYPE_HEADERS = {"type", "tipo", "call type", "tipo di chiamata", "direction"}

MESSAGES = {
    "no_time": _("No date and time on this line, and none given for the whole list."),
    "bad_time": _("The date and time could not be read; use 31/01/2025 09:30 or 2025-01-31 09:30."),
    "no_number_column": _("No column of phone numbers found: name it “number” or “numero”."),
    "duplicate": _("The same number and time appear on an earlier line."),
    "not_text": _("The file is not a text (CSV) file."),
}


@dataclass
class Row:
    line: int
    caller_number: str
    occurred_at: datetime | None = None
    channel: str = ""
    problem: str = ""  # why the line cannot even be read; preview() adds the rules' errors
    typed: str = ""  # the number as the line gave it, kept by preview() beside what it was understood as
    country: str = ""  # of the understood number, in the page's language; set by preview()
    line_type: str = ""  # its line type's label; set by preview()
    from_call_log: bool = False  # a call log holds every incoming contact: its first day starts the window

    @property
    def channel_label(self) -> str:
        return Channel(self.channel).label if self.channel in Channel.values else self.channel

    def to_session(self) -> dict:
        return {"line": self.line, "caller_number": self.caller_number, "occurred_at": self.occurred_at.isoformat(),
                "channel": self.channel, "from_call_log": self.from_call_log}  # fmt: skip


@dataclass
class Preview:
    accepted: list[Row] = field(default_factory=list)
    refused: list[tuple[Row, list[str]]] = field(default_factory=list)

    @property
    def rows(self) -> list[tuple[Row, list[str]]]:
        """Every row in line order, with its problems (none for the accepted ones)."""
        return sorted([(row, []) for row in self.accepted] + self.refused, key=lambda item: item[0].line)


class BulkInputError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _parse_when(date_text: str, time_text: str | None) -> datetime:
    date_text = date_text.replace(".", "/").replace("-", "/") if not re.match(r"\d{4}-", date_text) else date_text
    if re.match(r"\d{4}-", date_text):
        day = datetime.strptime(date_text, "%Y-%m-%d")
    else:
        d, m, y = (int(part) for part in date_text.split("/"))
        day = datetime(y + 2000 if y < 100 else y, m, d)  # day first, as in Italy and most of Europe
    if time_text:
        hours, minutes = (int(part) for part in re.split(r"[:.]", time_text)[:2])
        day = day.replace(hour=hours, minute=minutes)
    return timezone.make_aware(day)


def parse_pasted(text: str) -> list[Row]:
    """One contact per line: the number, optionally a date and time and a kind ("sms", "chiamata"…)."""
    rows = []
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.strip()
        if not line or line.startswith("#"):
            continue
        if len(rows) >= MAX_ROWS:
            raise BulkInputError(_("At most %(max)d rows at a time.") % {"max": MAX_ROWS})
        row = Row(line=number, caller_number="")
        match = _DATE_TIME.search(line)
        if match:
            try:
                row.occurred_at = _parse_when(match.group("date"), match.group("time"))
            except (ValueError, OverflowError):
                row.problem = str(MESSAGES["bad_time"])
            line = line[: match.start()] + " " + line[match.end() :]
        words = re.split(r"[\s,;\t]+", line)
        kinds = [_CHANNEL_WORDS[w.lower()] for w in words if w.lower() in _CHANNEL_WORDS]
        row.channel = kinds[0] if kinds else ""
        row.caller_number = " ".join(w for w in words if w and w.lower() not in _CHANNEL_WORDS).strip(" ,;")[:100]
        rows.append(row)
    return rows


def parse_call_log(data: bytes) -> list[Row]:
    """A call log exported as CSV (Android and iPhone export apps): number, date (and time), type columns.

    Outgoing calls are skipped: the person made them. Dates may be text or Unix time in (milli)seconds.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise BulkInputError(_("The file is larger than 2 MB."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    if "\x00" in text:
        raise BulkInputError(MESSAGES["not_text"])
    sample = text[:4096]
    delimiter = max(",;\t", key=sample.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader, [])]
    column = {
        role: next((i for i, h in enumerate(header) if h in names), None)
        for role, names in (("number", _NUMBER_HEADERS), ("date", _DATE_HEADERS), ("time", _TIME_HEADERS),
                            ("type", _TYPE_HEADERS))
    }  # fmt: skip
    if column["number"] is None:
        raise BulkInputError(MESSAGES["no_number_column"])
    rows = []
    for line, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(rows) >= MAX_ROWS:
            raise BulkInputError(_("At most %(max)d rows at a time.") % {"max": MAX_ROWS})

        def cell(role, record=record):
            index = column[role]
            return record[index].strip() if index is not None and index < len(record) else ""

        kind = cell("type").lower()
        if kind in _OUTGOING:
            continue
        row = Row(line=line, caller_number=cell("number")[:100], channel=_channel_of(kind), from_call_log=True)
        row.occurred_at, row.problem = _when_of(cell("date"), cell("time"))
        rows.append(row)
    return rows


def _channel_of(kind: str) -> str:
    if "sms" in kind or "messag" in kind:
        return Channel.SMS
    if "whatsapp" in kind:
        return Channel.WHATSAPP
    return Channel.CALL


def _when_of(date_text: str, time_text: str) -> tuple[datetime | None, str]:
    if not date_text:
        return None, ""
    if date_text.isascii() and date_text.isdigit() and len(date_text) in (10, 13):  # Unix time; Android: ms
        seconds = int(date_text) / (1000 if len(date_text) == 13 else 1)
        return datetime.fromtimestamp(seconds, tz=UTC), ""
    match = _DATE_TIME.search(f"{date_text} {time_text}".strip())
    if not match:
        return None, str(MESSAGES["bad_time"])
    try:
        return _parse_when(match.group("date"), match.group("time")), ""
    except (ValueError, OverflowError):
        return None, str(MESSAGES["bad_time"])


def rows_without_time(rows: list[Row]) -> int:
    """How many readable rows give no date: the page then asks for one date for all of them."""
    return sum(1 for row in rows if row.occurred_at is None and not row.problem)


def preview(rows: list[Row], *, reporter, default_channel: str, default_when: datetime | None, region_hint: str):
    """Check every row with the rules of a single report and the daily limits, without saving anything."""
    result = Preview()
    facts = ReporterFacts.of(reporter)
    usage = reporter_usage(reporter)
    seen = set()
    for row in rows:
        row.channel = row.channel or default_channel
        if row.occurred_at is None and not row.problem:
            row.occurred_at = default_when
            if default_when is None:
                row.problem = str(MESSAGES["no_time"])
        if row.problem:
            result.refused.append((row, [row.problem]))
            continue
        try:
            clean = report_clean(
                reporter=reporter,
                caller_number=row.caller_number,
                channel=row.channel,
                occurred_at=row.occurred_at,
                region_hint=region_hint,
                reporter_facts=facts,
            )
        except ValidationError as error:
            problems = [str(m) for messages in error.message_dict.values() for m in messages]
            result.refused.append((row, problems))
            continue
        key = (clean.e164, clean.occurred_at.replace(second=0, microsecond=0))
        if key in seen:
            result.refused.append((row, [str(MESSAGES["duplicate"])]))
            continue
        try:
            usage.check(clean.e164, reporter=reporter)
        except ReportRateLimited as limited:
            result.refused.append((row, [str(limited.message)]))
            continue
        seen.add(key)
        usage.add(clean.e164)
        understood = enrich(clean.e164)
        row.typed, row.caller_number = row.caller_number, clean.e164
        row.country = formats.country_name(understood.country) if understood.country else ""
        row.line_type = str(LineType(understood.line_type).label) if understood.line_type in LineType.values else ""
        result.accepted.append(row)
    return result
