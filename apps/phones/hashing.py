"""Keyed hashes of personal identifiers: the only form in which a leaked identifier is ever stored.

HMAC-SHA256 with a secret pepper (settings.IDENTIFIER_PEPPER), not a plain hash: phone numbers are so few
that anyone holding the table could hash every possible number and read the leak back; without the pepper
they cannot. The kind is part of the message so a phone and an e-mail never share a digest.
"""

import hashlib
import hmac
from collections.abc import Callable

from django.conf import settings

from apps.phones.normalise import E164_RE, normalise_email

KINDS = ("phone", "email")
DIGEST_SIZE = 32

Hasher = Callable[[str, str], bytes]


def make_hasher(pepper: bytes | str) -> Hasher:
    """A `(kind, normalised) -> digest` function bound to `pepper`, for bulk work (import workers run it
    without Django settings). Equal to identifier_digest() with that pepper.

    The values must already be normalised (normalise_phone / normalise_email). HMAC's two padded key blocks
    are hashed once here instead of per call (RFC 2104): a third of the time per identifier, which is most of
    an import worker's time (bench/RESULTS.md).
    """
    key = pepper.encode() if isinstance(pepper, str) else bytes(pepper)
    if not key:
        raise ValueError("The identifier pepper is empty.")
    block = hashlib.sha256().block_size
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    inner = hashlib.sha256(bytes(byte ^ 0x36 for byte in key)).copy
    outer = hashlib.sha256(bytes(byte ^ 0x5C for byte in key)).copy

    def hasher(kind: str, normalised: str) -> bytes:
        if kind not in KINDS:
            raise ValueError(f"Unknown identifier kind {kind!r}; expected one of {KINDS}.")
        first = inner()
        first.update(f"{kind}:{normalised}".encode())
        second = outer()
        second.update(first.digest())
        return second.digest()

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
