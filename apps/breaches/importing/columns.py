"""Which columns of a leaked file hold phone numbers and e-mail addresses, read from its header row.

Headers are compared case-, accent-, punctuation- and spacing-insensitively, in Italian and English, as
spreadsheets exported by Italian offices name them ("Cellulare", "Tel.", "Indirizzo e-mail", "PEC"…).
Every other column (names, tax codes, addresses) is never read past the header.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from apps.breaches.importing.errors import ImportRejected

# A header equal to one of these (after normalise_header) names the column's role.
PHONE_NAMES = frozenset(
    {
        "telefono", "tel", "telef", "cellulare", "cell", "cel", "mobile", "phone", "telephone", "cellphone",
        "smartphone", "numero", "recapito telefonico", "telefono cellulare", "cellulare personale",
        "mobile phone", "cell phone", "phone number", "mobile number", "telephone number", "numero telefonico",
        "contatto telefonico", "whatsapp",
    }
)  # fmt: skip
EMAIL_NAMES = frozenset(
    {
        "email", "mail", "posta elettronica", "pec", "posta elettronica certificata", "email address",
        "mail address", "indirizzo email", "indirizzo mail", "indirizzo pec", "indirizzo di posta elettronica",
        "indirizzo posta elettronica", "recapito email", "contatto email",
    }
)  # fmt: skip
# A header that starts with one of these words, followed by qualifiers ("Telefono 2", "Email aziendale",
# "Tel. casa"), has that role too. "numero" is not here: "Numero civico" is an address.
PHONE_HEADS = frozenset({"telefono", "tel", "telef", "cellulare", "cell", "cel", "mobile", "phone", "telephone"})
EMAIL_HEADS = frozenset({"email", "mail", "pec"})
# "Numero di telefono", "Nr. cellulare", "Indirizzo e-mail": the leading words only say "number of" / "address".
_LEADING_FILLER = re.compile(r"^(?:numero|num|nr|n|no|number|indirizzo|address)(?: (?:di|del|de|of))? ")

SHOWN_NAMES = (
    "telefono, cellulare, cell, tel, phone, mobile, numero, numero di telefono, recapito telefonico",
    "email, e-mail, mail, posta elettronica, indirizzo email, pec",
)


def normalise_header(header: str) -> str:
    """Lower-case ASCII words separated by single spaces: " Indirizzo E-Mail " → "indirizzo email"."""
    text = unicodedata.normalize("NFKD", header or "").encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(r"\be mail\b", "email", text)


def header_role(header: str) -> str | None:
    """ "phone", "email" or None for one header."""
    name = normalise_header(header)
    for candidate in (name, _LEADING_FILLER.sub("", name)):
        if candidate in PHONE_NAMES:
            return "phone"
        if candidate in EMAIL_NAMES:
            return "email"
        head = candidate.split(" ", 1)[0]
        if head in PHONE_HEADS:
            return "phone"
        if head in EMAIL_HEADS:
            return "email"
    return None


@dataclass(frozen=True)
class ColumnPlan:
    """Positions (0-based) of the identifier columns, and their header names for the summary."""

    phones: tuple[int, ...]
    emails: tuple[int, ...]
    headers: tuple[str, ...]

    @property
    def phone_names(self) -> list[str]:
        return [self.headers[i] for i in self.phones]

    @property
    def email_names(self) -> list[str]:
        return [self.headers[i] for i in self.emails]


def plan_columns(headers: list[str], *, phone_columns=None, email_columns=None) -> ColumnPlan:
    """Detect the roles from `headers`; a role given explicitly (list of header names or 1-based column
    numbers, possibly empty) replaces its detection. Raises ImportRejected when nothing usable is left."""
    headers = [header.strip() for header in headers]
    detected = {"phone": [], "email": []}
    for index, header in enumerate(headers):
        if role := header_role(header):
            detected[role].append(index)
    phones = detected["phone"] if phone_columns is None else _resolve(headers, phone_columns)
    emails = detected["email"] if email_columns is None else _resolve(headers, email_columns)
    if not phones and not emails:
        raise ImportRejected(
            _(
                "No column holds phone numbers or e-mail addresses. Accepted names for phone columns: %(phones)s; "
                "for e-mail columns: %(emails)s. Name the columns with --phone-column / --email-column."
            )
            % {"phones": SHOWN_NAMES[0], "emails": SHOWN_NAMES[1]},
            detail=_("Headers found: %(found)s.") % {"found": describe_headers(headers)},
        )
    return ColumnPlan(phones=tuple(phones), emails=tuple(emails), headers=tuple(headers))


def _resolve(headers: list[str], wanted) -> list[int]:
    by_name = {}
    for index, header in enumerate(headers):
        by_name.setdefault(normalise_header(header), index)
    positions = []
    for name in wanted:
        key = normalise_header(str(name))
        if key in by_name:
            index = by_name[key]
        elif key.isdigit() and 1 <= int(key) <= len(headers):
            index = int(key) - 1
        else:
            raise ImportRejected(
                _("There is no column %(name)s.") % {"name": repr(str(name))},
                detail=_("Headers found: %(found)s.") % {"found": describe_headers(headers)},
            )
        if index not in positions:
            positions.append(index)
    return positions


_LOOKS_LIKE_DATA = re.compile(r"@|\d{5,}")


def describe_headers(headers: list[str], limit: int = 40) -> str:
    """The headers for an error message. A file without a header row has data in its first row, and an error
    message is stored: anything that looks like an identifier is masked so no leaked value is ever kept."""
    shown = []
    for position, header in enumerate(headers[:limit], start=1):
        digits = sum(char.isdigit() for char in header)
        if _LOOKS_LIKE_DATA.search(header) or digits >= 5:
            shown.append(f"#{position} (" + str(_("looks like data, not shown")) + ")")
        else:
            shown.append(repr(header[:60]))
    if len(headers) > limit:
        shown.append("…")
    return ", ".join(shown) or str(_("none"))
