"""Keyed hashes of personal identifiers: the only form in which a leaked identifier is ever stored.

HMAC-SHA256 with a secret pepper (settings.IDENTIFIER_PEPPER), not a plain hash: phone numbers are so few
that anyone holding the table could hash every possible number and read the leak back; without the pepper
they cannot. The kind is part of the message so a phone and an e-mail never share a digest.
"""

import hmac
from collections.abc import Callable

from django.conf import settings

from apps.phones.normalise import E164_RE, normalise_email

KINDS = ("phone", "email")
DIGEST_SIZE = 32

Hasher = Callable[[str, str], bytes]


def make_hasher(pepper: bytes | str) -> Hasher:
    """A `(kind, normalised) -> digest` function bound to `pepper`, for import workers without Django settings.

    The values must already be normalised (normalise_phone / normalise_email); this does no normalising so
    it stays a single C call per identifier in bulk imports.
    """
    key = pepper.encode() if isinstance(pepper, str) else bytes(pepper)
    if not key:
        raise ValueError("The identifier pepper is empty.")

    def hasher(kind: str, normalised: str) -> bytes:
        return _digest(key, kind, normalised)

    return hasher


def identifier_digest(kind: str, normalised: str) -> bytes:
    """HMAC-SHA256(IDENTIFIER_PEPPER, "kind:normalised"): 32 raw bytes; kind is "phone" or "email"."""
    # Read per call (an attribute lookup) so tests overriding the setting get the new pepper.
    return _digest(settings.IDENTIFIER_PEPPER.encode(), kind, normalised)


def _digest(key: bytes, kind: str, normalised: str) -> bytes:
    if kind not in KINDS:
        raise ValueError(f"Unknown identifier kind {kind!r}; expected one of {KINDS}.")
    return hmac.digest(key, f"{kind}:{normalised}".encode(), "sha256")


def phone_digest(e164: str) -> bytes:
    """Digest of a number already in E.164; refuses anything else, which would silently never match."""
    if not isinstance(e164, str) or not E164_RE.match(e164):
        raise ValueError("phone_digest() needs an E.164 number; call normalise_phone() first.")
    return identifier_digest("phone", e164)


def email_digest(email: str) -> bytes:
    """Digest of an e-mail address, normalised here (trimmed, lower-cased) so callers cannot forget."""
    return identifier_digest("email", normalise_email(email))
