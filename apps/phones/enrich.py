"""What a number says about itself: country, area, original carrier, line type, validity.

Caller numbers are enriched once per distinct number (CallerNumber) and the same numbers recur across
thousands of reports, so results are memoised per process.
"""

import functools
from dataclasses import dataclass

import phonenumbers
from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumbers import NumberParseException, PhoneNumberType, carrier, geocoder

from apps.phones.normalise import E164_RE, InvalidPhoneNumber


class LineType(models.TextChoices):
    MOBILE = "mobile", _("Mobile")
    FIXED = "fixed", _("Landline")
    FIXED_OR_MOBILE = "fixed_or_mobile", _("Landline or mobile")
    VOIP = "voip", _("Internet (VoIP)")
    TOLL_FREE = "toll_free", _("Toll-free")
    PREMIUM = "premium", _("Premium rate")
    SHARED_COST = "shared_cost", _("Shared cost")
    PERSONAL = "personal", _("Personal number")
    PAGER = "pager", _("Pager")
    UAN = "uan", _("Universal access number")
    VOICEMAIL = "voicemail", _("Voicemail")
    UNKNOWN = "unknown", _("Unknown")


LINE_TYPE_CHOICES = LineType.choices

_LINE_TYPES = {
    PhoneNumberType.MOBILE: LineType.MOBILE.value,
    PhoneNumberType.FIXED_LINE: LineType.FIXED.value,
    PhoneNumberType.FIXED_LINE_OR_MOBILE: LineType.FIXED_OR_MOBILE.value,
    PhoneNumberType.VOIP: LineType.VOIP.value,
    PhoneNumberType.TOLL_FREE: LineType.TOLL_FREE.value,
    PhoneNumberType.PREMIUM_RATE: LineType.PREMIUM.value,
    PhoneNumberType.SHARED_COST: LineType.SHARED_COST.value,
    PhoneNumberType.PERSONAL_NUMBER: LineType.PERSONAL.value,
    PhoneNumberType.PAGER: LineType.PAGER.value,
    PhoneNumberType.UAN: LineType.UAN.value,
    PhoneNumberType.VOICEMAIL: LineType.VOICEMAIL.value,
}

_NON_GEOGRAPHIC = "001"  # phonenumbers' region for +800, +882, … numbers that belong to no country


@dataclass(frozen=True)
class NumberFacts:
    """Plain strings and booleans only, so facts pickle into Celery tasks and compare in tests."""

    e164: str
    country: str  # ISO 3166 alpha-2, or ""
    country_name: str  # English, as stored; pages show apps.core.formats.country_name(country)
    region: str  # area within the country in English ("Rome", "New Jersey"), or ""
    carrier: str  # the carrier the number range was allocated to (numbers may have been ported since)
    line_type: str  # a LineType value
    valid: bool
    possible: bool


@functools.lru_cache(maxsize=16_384)
def enrich(e164: str) -> NumberFacts:
    """Facts about an E.164 number (as normalise_phone returns it); InvalidPhoneNumber for anything else.

    Numbers that are only possible still get their country from the calling code (+39 gives IT), with
    line type "unknown" and no region or carrier.
    """
    if not isinstance(e164, str) or not E164_RE.match(e164):
        raise InvalidPhoneNumber("unparseable")
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        raise InvalidPhoneNumber("invalid") from None

    valid = phonenumbers.is_valid_number(number)
    country = phonenumbers.region_code_for_number(number) or phonenumbers.region_code_for_country_code(
        number.country_code
    )
    if country in (_NON_GEOGRAPHIC, "ZZ", None):
        country = ""
    name = country_name(country)
    region = geocoder.description_for_number(number, "en") if valid else ""
    if region in (name, _geocoder_country_name(country)):
        # Without an area the geocoder falls back to the country's name, which is not a region.
        region = ""
    return NumberFacts(
        e164=e164,
        country=country,
        country_name=name,
        region=region,
        carrier=carrier.name_for_number(number, "en") if valid else "",
        line_type=_LINE_TYPES.get(phonenumbers.number_type(number), LineType.UNKNOWN.value),
        valid=valid,
        possible=phonenumbers.is_possible_number(number),
    )


def _geocoder_country_name(country: str) -> str:
    """phonenumbers' own English name of a region, which its geocoder writes when it knows no area."""
    names = geocoder.LOCALE_DATA.get(country, {}) if country else {}
    name = names.get("en", "")
    return names.get(name[1:], "") if name.startswith("*") else name


@functools.lru_cache(maxsize=2048)
def country_name(country: str, language: str = "en") -> str:
    """Name of an ISO 3166 region code in `language` ("Nigeria", "Costa d’Avorio"), from Babel's CLDR data:
    the one source of country names for pages, charts, select boxes, CSV files and the API
    (apps.core.formats.country_name() passes the active language). "" for an unknown code.

    The name is looked up from the code rather than from the number: geocoder.country_name_for_number()
    returns "" for a number valid in two regions sharing a calling code (every Italian mobile is also valid
    for Vatican City).
    """
    if not country:
        return ""
    from apps.core.formats import locale

    return locale(language).territories.get(country.upper(), "")
