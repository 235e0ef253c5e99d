"""Normalise and hash the identifier cells of one chunk of rows: the CPU-bound half of an import.

Runs in spawned worker processes that never set Django up: `init()` hands them the pepper bytes and the
region, and everything here is plain Python plus apps.phones (whose functions need no settings when the
region is given). It also runs in-process for small files.

Every rule stays in apps.phones: fast_italian_e164() then normalise_phone(), normalise_email(), and
make_hasher() for the keyed digests.
"""

import functools
import re

from apps.phones.fast_italian import fast_italian_e164
from apps.phones.hashing import make_hasher
from apps.phones.normalise import InvalidPhoneNumber, normalise_email, normalise_phone

INVALID_PHONE = "invalid_phone"
INVALID_EMAIL = "invalid_email"
INVALID_PHONE_AND_EMAIL = "invalid_phone_and_email"
NO_IDENTIFIER = "no_identifier"

_hasher = None
_region = "IT"
_MISSING = object()

# One @, something before it, a dotted domain without empty labels, no spaces: a sanity check, not RFC 5322.
# Leaked files hold typos; a value failing this could never match a verified address anyway.
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")


def init(pepper: bytes, region: str) -> None:
    """Prepare this process: called once per worker (Pool initializer) or in-process before a small import."""
    global _hasher, _region
    _hasher = make_hasher(pepper)
    _region = (region or "IT").upper()
    _phone_digest.cache_clear()


@functools.lru_cache(maxsize=16_384)
def _phone_digest(raw: str) -> bytes | None:
    """Digest of one phone cell, or None when it is not a valid number. Cached across chunks: scam datasets
    and re-exported files repeat numbers."""
    e164 = fast_italian_e164(raw) if _region == "IT" else None
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
