"""Authenticated encryption of personal identifiers (AES-256-GCM), so owners can see what they registered.

Blob layout, version 1:

    0      1          9            21
    | 0x01 | key id 8 | nonce 12   | ciphertext + 16-byte tag |

The key id is the first 8 bytes of SHA-256(key), so a blob names the key that sealed it and any key in
settings.IDENTIFIER_ENCRYPTION_KEYS can open it: the first key encrypts, all decrypt. The header and the
caller's `context` ("phone", "email", …) are authenticated as associated data, so a blob copied into another
column, or edited by a single bit, fails to decrypt instead of yielding wrong text.
"""

import base64
import binascii
import functools
import hashlib
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VERSION = b"\x01"
KEY_ID_SIZE = 8
NONCE_SIZE = 12
TAG_SIZE = 16
HEADER_SIZE = len(VERSION) + KEY_ID_SIZE
MIN_BLOB_SIZE = HEADER_SIZE + NONCE_SIZE + TAG_SIZE


class DecryptionError(ValueError):
    """A blob that cannot be opened: not ours, sealed by an unknown key, wrong context, or tampered with."""


def key_id(key: bytes) -> bytes:
    """The 8-byte identifier of a raw key, as written in every blob it seals."""
    return hashlib.sha256(key).digest()[:KEY_ID_SIZE]


def current_key_id() -> bytes:
    """The id of the key new blobs are sealed with (safe to print: a hash prefix, not the key)."""
    return _keyring()[0][0]


def encrypt(plaintext: str, *, context: str = "") -> bytes:
    """Seal `plaintext` with the current (first) key; `context` must be given again to decrypt."""
    if not isinstance(plaintext, str):
        raise TypeError(f"encrypt() takes a str, not {type(plaintext).__name__}")
    current_id, cipher = _keyring()[0]
    header = VERSION + current_id
    nonce = os.urandom(NONCE_SIZE)  # 96 random bits: collision-safe for far more than 2**32 messages per key
    return header + nonce + cipher.encrypt(nonce, plaintext.encode(), header + context.encode())


def decrypt(blob: bytes, *, context: str = "") -> str:
    """Open a blob made by encrypt() with the same `context`; DecryptionError for anything else."""
    blob = _as_bytes(blob)
    header = blob[:HEADER_SIZE]
    nonce = blob[HEADER_SIZE : HEADER_SIZE + NONCE_SIZE]
    sealed = blob[HEADER_SIZE + NONCE_SIZE :]
    blob_key_id = header[len(VERSION) :]
    ciphers = [cipher for kid, cipher in _keyring() if kid == blob_key_id]
    if not ciphers:
        raise DecryptionError(
            f"Encrypted with key id {blob_key_id.hex()}, which is not in IDENTIFIER_ENCRYPTION_KEYS "
            "(was an old key dropped before running rotate_identifier_keys?)."
        )
    try:
        plaintext = ciphers[0].decrypt(nonce, sealed, header + context.encode())
    except InvalidTag:
        raise DecryptionError(
            f"Authentication failed for context {context!r}: the blob belongs to another context or was altered."
        ) from None
    return plaintext.decode()


def needs_rotation(blob: bytes) -> bool:
    """True unless the blob is sealed, in the current format, by the current (first) key."""
    blob = bytes(blob) if blob is not None else b""
    current = VERSION + _keyring()[0][0]
    return len(blob) < MIN_BLOB_SIZE or blob[:HEADER_SIZE] != current


def reencrypt_blobs(blobs, *, context: str = "") -> list:
    """The blobs sealed by the current key: unchanged when they already are, re-encrypted otherwise.

    None stays None (nullable columns). Raises DecryptionError if any blob cannot be opened, so a rotation
    never replaces a value it could not read.
    """
    out = []
    for blob in blobs:
        if blob is None or not needs_rotation(blob):
            out.append(None if blob is None else bytes(blob))
        else:
            out.append(encrypt(decrypt(blob, context=context), context=context))
    return out


def _as_bytes(blob) -> bytes:
    if not isinstance(blob, bytes | bytearray | memoryview):
        raise DecryptionError(f"Expected encrypted bytes, got {type(blob).__name__}.")
    blob = bytes(blob)  # PostgreSQL hands BinaryField values back as memoryview
    if len(blob) < MIN_BLOB_SIZE:
        raise DecryptionError(f"Too short to be an encrypted identifier ({len(blob)} bytes).")
    if blob[:1] != VERSION:
        raise DecryptionError(f"Unknown encryption format version {blob[0]}.")
    return blob


def _keyring() -> list[tuple[bytes, AESGCM]]:
    """(key id, cipher) per configured key, current first; validated and built once per distinct setting."""
    keys = settings.IDENTIFIER_ENCRYPTION_KEYS
    if isinstance(keys, str):  # tolerate the environment's comma-separated form set directly
        keys = [key.strip() for key in keys.split(",") if key.strip()]
    return _build_keyring(tuple(keys or ()))


@functools.lru_cache(maxsize=8)
def _build_keyring(encoded_keys: tuple[str, ...]) -> list[tuple[bytes, AESGCM]]:
    if not encoded_keys:
        raise ImproperlyConfigured("IDENTIFIER_ENCRYPTION_KEYS is empty: set at least one base64 key of 32 bytes.")
    ring = []
    for position, encoded in enumerate(encoded_keys, start=1):
        try:
            key = base64.b64decode(encoded, validate=True)
        except (binascii.Error, TypeError, ValueError):
            key = None
        # The message names the position, never the key, which would end up in logs.
        if key is None or len(key) != 32:
            raise ImproperlyConfigured(
                f"IDENTIFIER_ENCRYPTION_KEYS: key {position} must be base64 of exactly 32 bytes "
                '(generate one with: python -c "import base64,os;print(base64.b64encode(os.urandom(32)).decode())").'
            )
        ring.append((key_id(key), AESGCM(key)))
    return ring
