import hashlib
import hmac
import multiprocessing

import pytest

from apps.phones.hashing import email_digest, identifier_digest, make_hasher, phone_digest


def test_identifier_digest_is_32_deterministic_bytes():
    digest = identifier_digest("phone", "+393331234567")
    assert isinstance(digest, bytes) and len(digest) == 32
    assert identifier_digest("phone", "+393331234567") == digest


def test_identifier_digest_is_hmac_sha256_of_kind_and_value_under_the_pepper(settings):
    settings.IDENTIFIER_PEPPER = "pepper"
    expected = hmac.new(b"pepper", b"phone:+393331234567", hashlib.sha256).digest()
    assert identifier_digest("phone", "+393331234567") == expected


def test_identifier_digest_is_not_a_plain_sha256_of_the_number():
    for message in (b"+393331234567", b"phone:+393331234567"):
        assert phone_digest("+393331234567") != hashlib.sha256(message).digest()


def test_identifier_digest_differs_by_kind():
    assert identifier_digest("phone", "x@example.it") != identifier_digest("email", "x@example.it")


def test_identifier_digest_differs_by_pepper(settings):
    before = phone_digest("+393331234567")
    settings.IDENTIFIER_PEPPER = "another-pepper"
    assert phone_digest("+393331234567") != before


def test_identifier_digest_refuses_unknown_kinds():
    with pytest.raises(ValueError, match="kind"):
        identifier_digest("fax", "+393331234567")


def test_phone_digest_refuses_numbers_not_yet_normalised():
    with pytest.raises(ValueError, match="E.164"):
        phone_digest("333 123 4567")


def test_email_digest_normalises_the_address_first():
    assert email_digest("  Mario.Rossi@Example.IT ") == email_digest("mario.rossi@example.it")
    assert email_digest("mario.rossi@example.it") == identifier_digest("email", "mario.rossi@example.it")


def test_make_hasher_matches_identifier_digest_without_settings(settings):
    hasher = make_hasher(settings.IDENTIFIER_PEPPER.encode())
    assert hasher("phone", "+393331234567") == phone_digest("+393331234567")
    assert make_hasher(settings.IDENTIFIER_PEPPER)("email", "a@b.it") == email_digest("a@b.it")
    with pytest.raises(ValueError):
        make_hasher(b"")


def _hash_in_worker(pepper: bytes) -> bytes:
    return make_hasher(pepper)("phone", "+393331234567")


def test_make_hasher_works_in_a_spawned_worker_process(settings):
    # "spawn" starts a fresh interpreter without Django set up, as import workers may.
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        digest = pool.apply(_hash_in_worker, (settings.IDENTIFIER_PEPPER.encode(),))
    assert digest == phone_digest("+393331234567")
