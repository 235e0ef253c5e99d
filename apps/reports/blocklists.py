"""Blocklist files for phones and call-blocking apps: CSV and vCard 3.0.

The vCard is one contact holding every number as a TEL line, so a phone's "block contact" blocks them all
(PhoneBlock and tellows deliver the same shape over CardDAV). The CSV also holds the number blocks of the
breach's campaigns: a row whose `match` is "prefix" has in `number` the block (the E.164 form without its last
2 digits), meaning every number that starts with it, for the apps that block ranges; rows of single numbers
have `match` "exact". A vCard cannot hold a range, so it lists the numbers only.
"""

import csv
import io
from collections.abc import Iterable

from django.utils import timezone

from apps.phones.normalise import E164_RE
from apps.reports.models import CallerNumber
from apps.reports.published import with_published_reporters

CSV_COLUMNS = [
    "number",
    "country",
    "region",
    "carrier",
    "line_type",
    "valid",
    "reporters",
    "spam_confidence",
    "first_seen",
    "last_seen",
    "match",  # "exact": the number; "prefix": every number starting with `number` (a campaign's block)
]
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A cell a spreadsheet will not run as a formula: text starting with = + - @ gets a leading apostrophe.

    A validated E.164 number ("+" and digits only) is left as it is: it cannot be a formula, and call-blocking
    apps need it unchanged.
    """
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_STARTS) and not E164_RE.match(text):
        return "'" + text
    return text


def blocklist_csv(numbers: Iterable[CallerNumber], blocks: Iterable[dict] = ()) -> str:
    """The numbers, then the blocks (apps.reports.published.blocks_targeting_breach) as prefix rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for n in with_published_reporters(numbers):
        writer.writerow(
            csv_cell(value)
            for value in (
                n.e164,
                n.country,
                n.region,
                n.carrier,
                n.line_type,
                "yes" if n.valid else "no",
                n.published_reporters,  # released like every figure: empty below K proven people
                f"{n.published_confidence:.2f}",  # from published figures, not the live counters
                n.first_seen.date().isoformat() if n.first_seen else "",
                n.last_seen.date().isoformat() if n.last_seen else "",
                "exact",
            )
        )
    for block in blocks:
        country = block["countries"][0] if len(block["countries"]) == 1 else ""
        row = (block["block"], country, "", "", "", "", "", "", block["first_seen"], block["last_seen"], "prefix")
        writer.writerow(csv_cell(value) for value in row)
    return out.getvalue()


def _vcard_text(value: str) -> str:
    """Escape a vCard 3.0 text value (RFC 2426 §4: backslash, comma, semicolon, newline)."""
    return (
        value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Fold a content line at 75 octets, continuation lines starting with a space (RFC 2425 §5.8.1)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, start = [], 0
    while start < len(data):
        end = min(start + (75 if not parts else 74), len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # never split a UTF-8 character
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start = end
    return "\r\n ".join(parts)


def blocklist_vcard(numbers: Iterable[CallerNumber], *, name: str, uid: str, note: str = "") -> str:
    """One vCard 3.0 contact called `name` with a TEL line per number."""
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"UID:{_vcard_text(uid)}",
        f"FN:{_vcard_text(name)}",
        f"N:{_vcard_text(name)};;;;",
        "ORG:BreachWatch",
        f"REV:{timezone.now().strftime('%Y%m%dT%H%M%SZ')}",
    ]
    if note:
        lines.append(f"NOTE:{_vcard_text(note)}")
    lines.extend(f"TEL;TYPE=VOICE:{n.e164}" for n in numbers)
    lines.append("END:VCARD")
    return "".join(_fold(line) + "\r\n" for line in lines)
