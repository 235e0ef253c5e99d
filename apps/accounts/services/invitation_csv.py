"""Reading HR's CSV of e-mail addresses: every problem is a clear message, rows are skipped by line number."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from apps.phones.normalise import normalise_email

MAX_ROWS = 10_000  # an organisation's staff fits; a larger file is more likely a mistake (split it)
MAX_BYTES = 2 * 1024 * 1024
EMAIL_HEADERS = {
    "email",
    "e-mail",
    "e mail",
    "mail",
    "posta elettronica",
    "indirizzo email",
    "indirizzo e-mail",
    "email address",
    "e-mail address",
    "indirizzo di posta elettronica",
}


class InvitationCsvError(Exception):
    """The file as a whole cannot be used; the message says why and what to do."""


@dataclass
class ParsedInvitations:
    emails: list[str] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # {"line": n, "reason": "..."}: never the address


def _decode(raw: bytes) -> str:
    if b"\x00" in raw[:4096]:
        raise InvitationCsvError(
            _("This file is not a CSV text file (it may be UTF-16 or a spreadsheet). Save it as “CSV UTF-8”.")
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        raise InvitationCsvError(_("The file's encoding is not UTF-8 or Latin-1. Save it as “CSV UTF-8”.")) from None
    return text


def _email_column(header: list[str]) -> int | None:
    for index, name in enumerate(header):
        if name.strip().lower().replace("_", " ") in EMAIL_HEADERS:
            return index
    return None


def parse_invitation_csv(uploaded) -> ParsedInvitations:
    """Addresses to invite from an uploaded CSV (or a one-column list without header)."""
    raw = uploaded.read(MAX_BYTES + 1)
    if not raw.strip():
        raise InvitationCsvError(_("The file is empty."))
    if len(raw) > MAX_BYTES:
        raise InvitationCsvError(
            _("The file is larger than 2 MB. Upload at most %(max)s addresses at a time.") % {"max": f"{MAX_ROWS:,}"}
        )
    text = _decode(raw)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = csv.reader(io.StringIO(text), dialect)
    first = next(rows, [])
    column = _email_column(first)
    result, seen = ParsedInvitations(), {}
    if column is None:
        if len(first) == 1 and "@" in first[0]:
            column, rows = 0, csv.reader(io.StringIO(text), dialect)  # a bare list of addresses
            start = 1
        else:
            found = ", ".join(f"“{name.strip()}”" for name in first if name.strip()) or _("none")
            raise InvitationCsvError(
                _("No e-mail column found. The columns are: %(found)s. Name the column “email”.") % {"found": found}
            )
    else:
        start = 2
    for line, row in enumerate(rows, start=start):
        if line - start >= MAX_ROWS:
            raise InvitationCsvError(
                _("The file has more than %(max)s rows. Split it into smaller files.") % {"max": f"{MAX_ROWS:,}"}
            )
        if not any(cell.strip() for cell in row):
            continue
        value = normalise_email(row[column] if column < len(row) else "")
        try:
            validate_email(value)
        except ValidationError:
            result.skipped.append({"line": line, "reason": _("not a valid e-mail address")})
            continue
        if value in seen:
            result.skipped.append({"line": line, "reason": _("duplicate of line %(line)d") % {"line": seen[value]}})
            continue
        seen[value] = line
        result.emails.append(value)
    if not result.emails:
        raise InvitationCsvError(_("The file holds no valid e-mail address."))
    return result
