"""The one place where phone numbers and e-mail addresses become the form we store, hash and compare.

Every entry point (forms, API, imports, the matcher) calls these functions, so a number typed as
"0039 333-123-4567" on the web and "+393331234567" in a leaked CSV give the same E.164 string, and therefore
the same keyed hash.
"""

import functools
import re
import unicodedata

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from phonenumbers import NumberParseException, PhoneNumberType, ValidationResult

MAX_INPUT_LENGTH = 40
E164_RE = re.compile(r"^\+[1-9]\d{6,14}$")

# Separators people type or paste between digits; anything else (letters, emoji, "ext.") is refused rather
# than guessed at, so "call me at 333…" never turns into a number silently.
_SEPARATORS = frozenset(".-/()" + "\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
_PLUSES = frozenset("+\uff0b")  # ASCII and full-width plus
# E.164 allows 15 digits; national prefixes and trunk zeros can add a few before phonenumbers strips them.
_MAX_DIGITS = 17
_MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})

_MESSAGES = {
    "empty": _("Enter a phone number."),
    "unparseable": _("This does not look like a phone number: use digits, optionally starting with + or 00."),
    "too_short": _("This number is too short."),
    "too_long": _("This number is too long."),
    "invalid": _("This is not a valid number in any country’s numbering plan."),
    "not_mobile": _("This is not a mobile number; one-time codes can only be sent to mobiles."),
}


class InvalidPhoneNumber(ValueError):
    """Why a string is not an acceptable phone number: `code` for programs, `message` (lazy) for people."""

    CODES = tuple(_MESSAGES)

    def __init__(self, code: str):
        if code not in _MESSAGES:
            raise ValueError(f"Unknown InvalidPhoneNumber code {code!r}")
        super().__init__(code)
        self.code = code
        self.message = _MESSAGES[code]

    def __str__(self) -> str:
        return str(self.message)


def normalise_email(raw: str) -> str:
    """Trim and lower-case: the one form in which e-mail addresses are compared, hashed and stored."""
    return (raw or "").strip().lower()


def normalise_phone(
    raw: str, *, region: str | None = None, mobile_only: bool = False, require_valid: bool = True
) -> str:
    """Return `raw` as E.164 ("+393331234567") or raise InvalidPhoneNumber; never anything else for a str.

    `region` (ISO 3166 alpha-2, default settings.PHONE_DEFAULT_REGION) reads numbers typed without a
    prefix; a leading "00" always means international. With `require_valid=False` a number that is only
    *possible* (right length for its country) is accepted. With `mobile_only=True` only numbers that can be
    mobiles (MOBILE, FIXED_LINE_OR_MOBILE) are accepted. Outcomes, errors included, are memoised. With
    `region` given it reads no settings, so import workers without Django configured can call it.
    """
    if raw is None:
        raise InvalidPhoneNumber("empty")
    if not isinstance(raw, str):
        raise TypeError(f"normalise_phone() takes a str, not {type(raw).__name__}")
    # Checked before the cache so a hostile megabyte never becomes a cache key.
    if len(raw) > MAX_INPUT_LENGTH:
        raise InvalidPhoneNumber("too_long")
    region = (region or settings.PHONE_DEFAULT_REGION or "ZZ").upper()
    ok, value = _normalise_cached(raw, region, bool(mobile_only), bool(require_valid))
    if not ok:
        raise InvalidPhoneNumber(value)
    return value


@functools.lru_cache(maxsize=32_768)
def _normalise_cached(raw: str, region: str, mobile_only: bool, require_valid: bool) -> tuple[bool, str]:
    """(True, e164) or (False, error code): a plain value, so errors are cached like successes."""
    try:
        return True, _normalise(raw, region, mobile_only, require_valid)
    except InvalidPhoneNumber as error:
        return False, error.code


# The cache is part of the contract (tests and benchmarks read it), so it is exposed on the public name.
normalise_phone.cache_info = _normalise_cached.cache_info
normalise_phone.cache_clear = _normalise_cached.cache_clear


def _normalise(raw: str, region: str, mobile_only: bool, require_valid: bool) -> str:
    compact = _compact(raw)
    if len(compact.lstrip("+")) > _MAX_DIGITS:
        raise InvalidPhoneNumber("too_long")
    try:
        number = phonenumbers.parse(compact, region)
    except NumberParseException as error:
        raise InvalidPhoneNumber(_PARSE_ERRORS.get(error.error_type, "unparseable")) from None

    if require_valid and not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber(_impossibility(number) or "invalid")
    if not require_valid and (reason := _impossibility(number)):
        raise InvalidPhoneNumber(reason)
    if mobile_only and phonenumbers.number_type(number) not in _MOBILE_TYPES:
        raise InvalidPhoneNumber("not_mobile")

    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if not E164_RE.match(e164):
        # A few tiny numbering plans call 3-5 digit numbers "possible"; E.164 storage needs at least 7.
        raise InvalidPhoneNumber("too_short" if len(e164) < 8 else "too_long")
    return e164


def _compact(raw: str) -> str:
    """Digits with an optional leading "+": separators dropped, "00" read as "+", anything else refused."""
    text = raw.strip()
    if not text:
        raise InvalidPhoneNumber("empty")
    out = []
    for char in text:
        if char.isdecimal():
            # Full-width and other scripts' digits, as some phone keyboards paste them.
            out.append(str(unicodedata.decimal(char)))
        elif char in _PLUSES and not out:
            out.append("+")
        elif char in _SEPARATORS or char.isspace():
            continue
        else:
            raise InvalidPhoneNumber("unparseable")
    compact = "".join(out)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if not compact.lstrip("+"):
        raise InvalidPhoneNumber("unparseable")
    return compact


def _impossibility(number) -> str | None:
    """The error code when the number has the wrong length for its country, else None."""
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == ValidationResult.IS_POSSIBLE:
        return None
    if reason == ValidationResult.TOO_LONG:
        return "too_long"
    if reason in (ValidationResult.TOO_SHORT, ValidationResult.IS_POSSIBLE_LOCAL_ONLY):
        # "Local only" lacks the area code, so as a complete number it is too short.
        return "too_short"
    return "invalid"  # INVALID_COUNTRY_CODE, INVALID_LENGTH


_PARSE_ERRORS = {
    NumberParseException.INVALID_COUNTRY_CODE: "invalid",
    NumberParseException.NOT_A_NUMBER: "unparseable",
    NumberParseException.TOO_SHORT_AFTER_IDD: "too_short",
    NumberParseException.TOO_SHORT_NSN: "too_short",
    NumberParseException.TOO_LONG: "too_long",
}
