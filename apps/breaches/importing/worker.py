"""Normalise and hash the identifier cells of one chunk of rows: the CPU-bound half of an import.

Runs in spawned worker processes that never set Django up: `init()` hands them the pepper bytes and the
region, and everything here is plain Python plus apps.phones (whose functions need no settings when the
region is given). It also runs in-process for small files.

The rules stay in apps.phones: normalise_phone(), normalise_email(), make_hasher(). `fast_italian_number()`
only skips phonenumbers' parser for the overwhelmingly common case of an Italian mobile written with
spaces, dots, dashes or brackets; it accepts a string only when normalise_phone() provably returns the
same E.164 for it (IT's patterns in phonenumbers' own metadata; tests/breaches/test_worker.py compares the
two on many generated numbers), and hands everything else to normalise_phone().
"""

import functools
import hashlib
import re

from phonenumbers import PhoneMetadata

from apps.phones.hashing import make_hasher
from apps.phones.normalise import MAX_INPUT_LENGTH, InvalidPhoneNumber, normalise_email, normalise_phone

INVALID_PHONE = "invalid_phone"
INVALID_EMAIL = "invalid_email"
INVALID_PHONE_AND_EMAIL = "invalid_phone_and_email"
NO_IDENTIFIER = "no_identifier"

_hasher = None
_region = "IT"
_MISSING = object()

_IT = PhoneMetadata.metadata_for_region("IT")
_IT_GENERAL = (frozenset(_IT.general_desc.possible_length), re.compile(_IT.general_desc.national_number_pattern))
# Mobiles and landlines: all but a handful of the numbers in a leaked Italian file.
_IT_TYPES = tuple(
    (frozenset(desc.possible_length), re.compile(desc.national_number_pattern)) for desc in (_IT.mobile, _IT.fixed_line)
)
# One @, something before it, a dotted domain without empty labels, no spaces: a sanity check, not RFC 5322.
# Leaked files hold typos; a value failing this could never match a verified address anyway.
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")


def init(pepper: bytes, region: str) -> None:
    """Prepare this process: called once per worker (Pool initializer) or in-process before a small import."""
    global _hasher, _region
    _hasher = precomputed_hasher(pepper)
    _region = (region or "IT").upper()
    _phone_digest.cache_clear()


def precomputed_hasher(pepper: bytes):
    """make_hasher(pepper) with HMAC's two padded key blocks hashed once instead of per call (RFC 2104):
    a third of the time per identifier, which is most of a worker's time. Returns exactly make_hasher's
    digests (asserted here, and for many values in tests/breaches/test_worker.py)."""
    key = bytes(pepper)
    if len(key) > hashlib.sha256().block_size:
        key = hashlib.sha256(key).digest()
    key = key.ljust(hashlib.sha256().block_size, b"\0")
    inner = hashlib.sha256(bytes(byte ^ 0x36 for byte in key)).copy
    outer = hashlib.sha256(bytes(byte ^ 0x5C for byte in key)).copy

    def hasher(kind: str, normalised: str) -> bytes:
        first = inner()
        first.update(f"{kind}:{normalised}".encode())
        second = outer()
        second.update(first.digest())
        return second.digest()

    reference = make_hasher(pepper)
    if hasher("phone", "+393331234567") != reference("phone", "+393331234567"):
        raise RuntimeError("The precomputed HMAC disagrees with apps.phones.hashing.make_hasher")
    return hasher


def fast_italian_number(raw: str) -> str | None:
    """E.164 of an Italian mobile or landline written as in "333 123 4567", "+39 333-1234567",
    "0039 3331234567", "(+39) 333.123.4567" or "06 1234 5678"; None for anything else, which the caller
    then hands to normalise_phone().

    Why it equals normalise_phone(raw, region="IT"): that function drops the same separators and reads a
    leading "00" as "+"; phonenumbers then takes "+39" as the country code or, without a prefix, the whole
    digit string as the national number (IT has no national prefix to strip, and a string that already
    matches IT's general pattern is never re-read as "39" + number; one leading zero is kept, as Italian
    numbers require). Such a number is valid when IT's general pattern and its mobile or fixed-line
    pattern match at a possible length, which is what is checked here, with phonenumbers' own metadata.
    """
    if len(raw) > MAX_INPUT_LENGTH:
        return None
    # Chained replace() is several times faster than str.translate() for this.
    compact = raw.replace(" ", "").replace("-", "").replace(".", "").replace("(", "").replace(")", "").replace("/", "")
    if compact[:1] == "+":
        if compact[1:3] != "39":
            return None
        national = compact[3:]
    elif compact[:2] == "00":
        if compact[2:4] != "39":
            return None
        national = compact[4:]
    else:
        national = compact
    first = national[:1]
    if not (first == "3" or first == "4" or (first == "0" and national[1:2] != "0")):
        return None  # every IT mobile starts with 3 or 4, every landline with one 0
    if not (national.isascii() and national.isdigit()):
        return None
    length = len(national)
    if length not in _IT_GENERAL[0] or not _IT_GENERAL[1].fullmatch(national):
        return None
    for lengths, pattern in _IT_TYPES:
        if length in lengths and pattern.fullmatch(national):
            return "+39" + national
    return None


@functools.lru_cache(maxsize=16_384)
def _phone_digest(raw: str) -> bytes | None:
    """Digest of one phone cell, or None when it is not a valid number. Cached across chunks: scam datasets
    and re-exported files repeat numbers."""
    e164 = fast_italian_number(raw) if _region == "IT" else None
    if e164 is None:
        try:
            e164 = normalise_phone(raw, region=_region)
        except InvalidPhoneNumber:
            return None
    return _hasher("phone", e164)


def _email_digest(raw: str) -> bytes | None:
    email = normalise_email(raw)
    if len(email) > 254 or not _EMAIL.fullmatch(email):
        return None
    return _hasher("email", email)


def process_chunk(rows: list, phone_count: int) -> tuple:
    """Digests and problems for `rows`: [(line, cells)], cells = the phone cells then the e-mail cells
    (a tuple), or the reason code of a row the reader could not use ("too_wide").

    Returns (phone digests, e-mail digests, rows skipped, invalid values, problems) where problems are
    (line, reason, kept) tuples in line order, `kept` saying whether the row still stored something.
    """
    if _hasher is None:
        raise RuntimeError("worker.init() was not called in this process")
    phones: list[bytes] = []
    emails: list[bytes] = []
    problems: list[tuple[int, str, bool]] = []
    skipped = invalid_values = 0
    # The same raw string is never parsed twice within a chunk; the LRU behind it spans chunks.
    seen_phones: dict[str, bytes | None] = {}
    seen_emails: dict[str, bytes | None] = {}
    phone_digest = _phone_digest
    for line, cells in rows:
        if cells.__class__ is str:
            skipped += 1
            problems.append((line, cells, False))
            continue
        stored = bad_phone = bad_email = False
        for position, raw in enumerate(cells):
            raw = raw.strip()
            if not raw:
                continue
            if position < phone_count:
                digest = seen_phones.get(raw, _MISSING)
                if digest is _MISSING:
                    digest = seen_phones[raw] = phone_digest(raw)
                if digest is None:
                    bad_phone = True
                    invalid_values += 1
                else:
                    phones.append(digest)
                    stored = True
            else:
                digest = seen_emails.get(raw, _MISSING)
                if digest is _MISSING:
                    digest = seen_emails[raw] = _email_digest(raw)
                if digest is None:
                    bad_email = True
                    invalid_values += 1
                else:
                    emails.append(digest)
                    stored = True
        if bad_phone or bad_email:
            reason = (
                INVALID_PHONE_AND_EMAIL if bad_phone and bad_email else INVALID_PHONE if bad_phone else INVALID_EMAIL
            )
            problems.append((line, reason, stored))
        elif not stored:
            problems.append((line, NO_IDENTIFIER, False))
        if not stored:
            skipped += 1
    return phones, emails, skipped, invalid_values, problems
