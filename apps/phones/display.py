"""A number written the way the person who received the call would dial it back (or recognise it)."""

import functools

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

ITALY_CALLING_CODE = 39


@functools.lru_cache(maxsize=16_384)
def as_dialled(e164: str) -> str:
    """Italian numbers in national format ("06 1234 5678", "333 123 4567"), every other in international
    format with + ("+234 803 123 4567"): the site's readers are in Italy. Text that is not a number comes back
    unchanged, so a page can always show something."""
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return e164
    style = PhoneNumberFormat.NATIONAL if number.country_code == ITALY_CALLING_CODE else PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)
