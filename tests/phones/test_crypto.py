import base64
import hashlib

import pytest
from django.core.exceptions import ImproperlyConfigured

from apps.phones import crypto
from apps.phones.crypto import DecryptionError, decrypt, encrypt, needs_rotation, reencrypt_blobs


def test_encrypt_then_decrypt_gives_the_text_back():
    blob = encrypt("+393331234567 è mio", context="phone")
    assert decrypt(blob, context="phone") == "+393331234567 è mio"
    assert decrypt(memoryview(blob), context="phone") == "+393331234567 è mio"  # as PostgreSQL returns it
    assert encrypt("", context="phone") and decrypt(encrypt("")) == ""


def test_encrypted_blob_has_version_key_id_nonce_and_tag(settings):
    blob = encrypt("+393331234567")
    key = base64.b64decode(settings.IDENTIFIER_ENCRYPTION_KEYS[0])
    assert blob[:1] == b"\x01"
    assert blob[1:9] == hashlib.sha256(key).digest()[:8] == crypto.current_key_id()
    assert len(blob) == 1 + 8 + 12 + len("+393331234567") + 16
    assert b"393331234567" not in blob


def test_encrypting_twice_gives_different_blobs():
    assert encrypt("+393331234567") != encrypt("+393331234567")


def test_decrypt_fails_for_another_context():
    blob = encrypt("+393331234567", context="phone")
    with pytest.raises(DecryptionError, match="context"):
        decrypt(blob, context="email")
    with pytest.raises(DecryptionError):
        decrypt(blob)


@pytest.mark.parametrize("position", [0, 1, 8, 9, 20, 21, -1])
def test_decrypt_fails_for_a_tampered_blob(position):
    blob = bytearray(encrypt("+393331234567", context="phone"))
    blob[position] ^= 0x01
    with pytest.raises(DecryptionError):
        decrypt(bytes(blob), context="phone")


@pytest.mark.parametrize("blob", [b"", b"\x01" * 36, b"plain text that is long enough to be a blob", "text"])
def test_decrypt_fails_clearly_for_what_is_not_a_blob(blob):
    with pytest.raises(DecryptionError):
        decrypt(blob)


def test_decrypt_fails_naming_the_setting_when_no_key_matches(settings, new_key):
    blob = encrypt("+393331234567")
    settings.IDENTIFIER_ENCRYPTION_KEYS = [new_key()]
    with pytest.raises(DecryptionError, match="IDENTIFIER_ENCRYPTION_KEYS"):
        decrypt(blob)


def test_a_prepended_key_encrypts_while_the_old_one_still_decrypts(settings, new_key):
    old = settings.IDENTIFIER_ENCRYPTION_KEYS[0]
    blob = encrypt("+393331234567", context="phone")
    assert not needs_rotation(blob)

    settings.IDENTIFIER_ENCRYPTION_KEYS = [new_key(), old]
    assert decrypt(blob, context="phone") == "+393331234567"
    assert needs_rotation(blob)
    assert not needs_rotation(encrypt("x"))


def test_reencrypt_blobs_moves_old_blobs_to_the_current_key_and_keeps_the_rest(settings, new_key):
    old = settings.IDENTIFIER_ENCRYPTION_KEYS[0]
    stale = encrypt("+393331234567", context="phone")
    settings.IDENTIFIER_ENCRYPTION_KEYS = [new_key(), old]
    fresh = encrypt("+2348031234567", context="phone")

    rotated = reencrypt_blobs([stale, None, memoryview(fresh)], context="phone")

    assert rotated[1] is None
    assert rotated[2] == fresh
    assert rotated[0] != stale and not needs_rotation(rotated[0])
    settings.IDENTIFIER_ENCRYPTION_KEYS = settings.IDENTIFIER_ENCRYPTION_KEYS[:1]  # old key dropped
    assert decrypt(rotated[0], context="phone") == "+393331234567"


def test_reencrypt_blobs_refuses_to_replace_what_it_cannot_read(settings, new_key):
    blob = encrypt("+393331234567", context="phone")
    settings.IDENTIFIER_ENCRYPTION_KEYS = [new_key()]
    with pytest.raises(DecryptionError):
        reencrypt_blobs([blob], context="phone")


@pytest.mark.parametrize(
    "keys",
    [
        [],
        ["not base64!"],
        [base64.b64encode(b"sixteen byte key").decode()],
        [base64.b64encode(b"k" * 33).decode()],
        ["ZGV2ZWxvcG1lbnQta2V5LW5vdC1zZWNyZXQtMzJieXQ=", "c2hvcnQ="],
    ],
)
def test_a_bad_key_configuration_raises_improperly_configured_naming_the_setting(settings, keys):
    settings.IDENTIFIER_ENCRYPTION_KEYS = keys
    with pytest.raises(ImproperlyConfigured, match="IDENTIFIER_ENCRYPTION_KEYS") as caught:
        encrypt("+393331234567")
    for key in keys:
        assert key not in str(caught.value)  # keys must never reach logs


def test_keys_may_be_given_as_the_environments_comma_separated_string(settings, new_key):
    first, second = new_key(), new_key()
    settings.IDENTIFIER_ENCRYPTION_KEYS = f"{first}, {second}"
    blob = encrypt("x")
    assert blob[1:9] == hashlib.sha256(base64.b64decode(first)).digest()[:8]
