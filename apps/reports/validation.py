"""The rules a report must satisfy, for every entry point (form, API, bulk import, demo).

report_clean() checks everything that does not depend on the reporter's recent activity and returns plain
values; services.report_submit() stores them. Errors are one django ValidationError holding a translated
message per field, so a view, a serializer and a preview table can each show them next to the field.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import PersonalPhone
from apps.breaches.models import DataCategory, Exposure
from apps.phones.hashing import phone_digest
from apps.phones.normalise import InvalidPhoneNumber, normalise_phone
from apps.reports.models import BRAND_MAX_LENGTH, NOTES_MAX_LENGTH, Channel, Outcome, Script

CLOCK_SKEW = timedelta(minutes=5)  # a phone's clock may run a little ahead of ours
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
MAX_LOSS_EUR = Decimal("999999999.99")  # what the column holds; a larger "loss" is a typing error
MAX_SILENT_SECONDS = 3600

MESSAGES = {
    "own_number": _("This is one of your own numbers: report the number that contacted you."),
    "channel": _("Choose how they contacted you."),
    "occurred_at": _("Enter the date and time of the contact."),
    "future": _("This date is in the future."),
    "too_old": _("Reports can go back to 1 January 2000 at the earliest."),
    "script": _("Choose one of the listed subjects."),
    "outcome": _("Choose one of the listed outcomes."),
    "caller_knew": _("Choose among the listed kinds of data."),
    "loss_invalid": _("Enter an amount in euros, such as 250 or 250.50."),
    "loss_negative": _("The amount cannot be negative."),
    "loss_too_large": _("This amount is too large."),
    "loss_without_money_lost": _("Enter an amount only when the outcome is “I lost money”."),
    "notes_too_long": format_lazy(_("Notes can be at most {max} characters."), max=NOTES_MAX_LENGTH),
    "brand_too_long": format_lazy(_("At most {max} characters."), max=BRAND_MAX_LENGTH),
    "bad_characters": _("This text contains characters that cannot be stored."),
    "text": _("Enter text."),
    "silent_only": _("Only for silent calls."),
    "silent_seconds": _("Enter the seconds of silence, from 0 to 3600."),
    "region_hint": _("Enter a two-letter country code, such as IT."),
    "contacted_phone": _("Choose one of your own numbers."),
}


@dataclass(frozen=True)
class CleanReport:
    """A report that passed every rule: what services.report_submit() stores."""

    e164: str
    channel: str
    occurred_at: datetime
    script: str
    impersonated_brand: str
    caller_knew: list[str]
    outcome: str
    loss_eur: Decimal | None
    notes: str
    contacted_phone: PersonalPhone | None
    silent_seconds: int | None
    background_noise: bool | None
    low_weight: bool


@dataclass(frozen=True)
class ReporterFacts:
    """What the rules need to know about the reporter, read once per report (or once per bulk import)."""

    phone_digests: frozenset[bytes]
    has_verified_phone: bool
    has_exposure: bool  # a proven exposure (matched or invited), never a mere declaration

    @classmethod
    def of(cls, reporter) -> "ReporterFacts":
        phones = list(PersonalPhone.objects.filter(person=reporter).values_list("digest", "verified_at"))
        verified = any(verified_at is not None for _digest, verified_at in phones)
        return cls(
            phone_digests=frozenset(bytes(digest) for digest, _verified_at in phones),
            has_verified_phone=verified,
            # Only asked when needed: a verified phone already gives full weight.
            has_exposure=not verified and Exposure.objects.of_person(reporter).proven().exists(),
        )

    @property
    def low_weight(self) -> bool:
        return not (self.has_verified_phone or self.has_exposure)


def report_clean(
    *,
    reporter,
    caller_number: str,
    channel: str,
    occurred_at: datetime,
    region_hint: str = "IT",
    script: str = "",
    impersonated_brand: str = "",
    caller_knew: Iterable[str] = (),
    outcome: str = "",
    loss_eur: Decimal | str | int | None = None,
    notes: str = "",
    contacted_phone: PersonalPhone | None = None,
    silent_seconds: int | None = None,
    background_noise: bool | None = None,
    reporter_facts: ReporterFacts | None = None,
) -> CleanReport:
    """Check every field of a report; raise ValidationError({field: [message, ...]}) listing all problems."""
    errors: dict[str, list] = {}

    def fail(field: str, message) -> None:
        errors.setdefault(field, []).append(message)

    facts = reporter_facts or ReporterFacts.of(reporter)
    region = _region(region_hint, fail)
    e164 = _number(caller_number, region, facts, fail)
    if channel not in Channel.values:
        fail("channel", MESSAGES["channel"])
    when = _when(occurred_at, fail)
    if script not in ("", *Script.values):
        fail("script", MESSAGES["script"])
    if outcome not in ("", *Outcome.values):
        fail("outcome", MESSAGES["outcome"])
    knew = _categories(caller_knew, fail)
    brand = _text(impersonated_brand, BRAND_MAX_LENGTH, "impersonated_brand", "brand_too_long", fail)
    note_text = _text(notes, NOTES_MAX_LENGTH, "notes", "notes_too_long", fail)
    loss = _loss(loss_eur, outcome, fail)
    if contacted_phone is not None and contacted_phone.person_id != getattr(reporter, "pk", None):
        fail("contacted_phone", MESSAGES["contacted_phone"])
    seconds, noise = _silence(channel, silent_seconds, background_noise, fail)

    if errors:
        raise ValidationError(errors)
    return CleanReport(
        e164=e164,
        channel=channel,
        occurred_at=when,
        script=script,
        impersonated_brand=brand,
        caller_knew=knew,
        outcome=outcome,
        loss_eur=loss,
        notes=note_text,
        contacted_phone=contacted_phone,
        silent_seconds=seconds,
        background_noise=noise,
        low_weight=facts.low_weight,
    )


def _region(region_hint, fail) -> str:
    region = (region_hint or "IT").strip().upper() if isinstance(region_hint, str) else ""
    if region not in phonenumbers.SUPPORTED_REGIONS:
        fail("region_hint", MESSAGES["region_hint"])
        return "IT"
    return region


def _number(raw, region: str, facts: ReporterFacts, fail) -> str:
    if not isinstance(raw, str):
        fail("caller_number", InvalidPhoneNumber("unparseable").message)
        return ""
    try:
        # "Only possible" numbers are kept: scammers spoof numbers that no operator assigned.
        e164 = normalise_phone(raw, region=region, require_valid=False)
    except InvalidPhoneNumber as error:
        fail("caller_number", error.message)
        return ""
    if phone_digest(e164) in facts.phone_digests:
        fail("caller_number", MESSAGES["own_number"])
    return e164


def _when(occurred_at, fail) -> datetime | None:
    if not isinstance(occurred_at, datetime):
        fail("occurred_at", MESSAGES["occurred_at"])
        return None
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)  # typed on the site: the site's time zone
    if occurred_at > timezone.now() + CLOCK_SKEW:
        fail("occurred_at", MESSAGES["future"])
    elif occurred_at < EARLIEST:
        fail("occurred_at", MESSAGES["too_old"])
    return occurred_at


def _categories(caller_knew, fail) -> list[str]:
    if isinstance(caller_knew, str) or not isinstance(caller_knew, Iterable):
        fail("caller_knew", MESSAGES["caller_knew"])
        return []
    chosen = list(caller_knew)
    if not all(isinstance(value, str) and value in DataCategory.values for value in chosen):
        fail("caller_knew", MESSAGES["caller_knew"])
        return []
    return [value for value in DataCategory.values if value in chosen]  # de-duplicated, in a stable order


def _text(value, max_length: int, field: str, too_long: str, fail) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        fail(field, MESSAGES["text"])
        return ""
    value = value.strip()
    if len(value) > max_length:
        fail(field, MESSAGES[too_long])
    elif not is_storable_text(value):
        fail(field, MESSAGES["bad_characters"])
    return value


def is_storable_text(value: str) -> bool:
    """False for text PostgreSQL refuses (NUL characters, lone surrogates): a field error, not a 500."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _loss(loss_eur, outcome: str, fail) -> Decimal | None:
    if loss_eur in (None, ""):
        return None
    try:
        if isinstance(loss_eur, bool | float):
            raise InvalidOperation
        amount = Decimal(str(loss_eur).strip().replace(",", "."))
        if not amount.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        fail("loss_eur", MESSAGES["loss_invalid"])
        return None
    if amount < 0:
        fail("loss_eur", MESSAGES["loss_negative"])
    elif amount > MAX_LOSS_EUR:
        fail("loss_eur", MESSAGES["loss_too_large"])
    elif outcome != Outcome.LOST_MONEY:
        fail("loss_eur", MESSAGES["loss_without_money_lost"])
    else:
        return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return None


def _silence(channel: str, silent_seconds, background_noise, fail) -> tuple[int | None, bool | None]:
    if silent_seconds is None and background_noise is None:
        return None, None
    if channel != Channel.SILENT_CALL:
        fail("silent_seconds" if silent_seconds is not None else "background_noise", MESSAGES["silent_only"])
        return None, None
    if silent_seconds is not None and (
        isinstance(silent_seconds, bool)
        or not isinstance(silent_seconds, int)
        or not 0 <= silent_seconds <= MAX_SILENT_SECONDS
    ):
        fail("silent_seconds", MESSAGES["silent_seconds"])
    if background_noise is not None and not isinstance(background_noise, bool):
        fail("background_noise", MESSAGES["text"])
    return silent_seconds, background_noise
