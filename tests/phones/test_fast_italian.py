"""The Italian shortcut and the precomputed HMAC give exactly what the reference paths give."""

import hmac
import random

import phonenumbers
import pytest

from apps.phones.fast_italian import fast_italian_e164
from apps.phones.hashing import make_hasher
from apps.phones.normalise import InvalidPhoneNumber, normalise_phone


def _reference_e164(raw: str) -> str | None:
    try:
        return normalise_phone(raw, region="IT")
    except InvalidPhoneNumber:
        return None


@pytest.mark.parametrize(
    "raw",
    ["333 123 4567", "+39 333-1234567", "0039 3331234567", "(+39) 333.123.4567", "3331234567", "06 1234 5678",
     "+39 02 12345678", "393 123 4567", "+39 393 1234567", "43 1234 5678"],
)  # fmt: skip
def test_the_fast_path_gives_the_e164_of_normalise_phone_for_the_formats_leaks_use(raw):
    assert fast_italian_e164(raw) == _reference_e164(raw) is not None


@pytest.mark.parametrize(
    "raw",
    ["333 12", "12345", "+44 7700 900123", "333 123 4567 int. 2", "３３３１２３４５６７", "+390012345678", "1" * 50,
     "0039 06 698 12345"],  # the last is the Vatican's: valid, but only normalise_phone() knows it
)  # fmt: skip
def test_the_fast_path_declines_what_it_cannot_prove_and_leaves_it_to_normalise_phone(raw):
    assert fast_italian_e164(raw) is None


def test_the_fast_path_agrees_with_normalise_phone_on_many_generated_numbers():
    rng = random.Random(4)
    separators = [" ", "-", ".", "", "", "/", "(", ")"]
    accepted = 0
    for _ in range(30_000):
        length = rng.choice([rng.randint(1, 14), 9, 10, 10, 11, 6, 8, 12])
        digits = rng.choice("0123456789334400") + "".join(rng.choices("0123456789", k=length - 1))
        body = "".join(c + (rng.choice(separators) if rng.random() < 0.2 else "") for c in digits)
        raw = rng.choice(["", "", "+39", "0039", "+39 ", "(+39) ", "+3900", "00", "+", "39", "0039 0"]) + body
        fast = fast_italian_e164(raw)
        if fast is not None:
            accepted += 1
            assert fast == _reference_e164(raw), raw
    assert accepted > 3_000  # the comparison covered the shortcut, not only refusals


def test_the_fast_path_matches_the_reference_chain_parse_valid_e164():
    for raw in ["333 123 4567", "+39 333-1234567", "0039 3331234567", "(+39) 333.123.4567"]:
        number = phonenumbers.parse(raw, "IT")
        assert phonenumbers.is_valid_number(number)
        assert fast_italian_e164(raw) == phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@pytest.mark.parametrize("pepper", [b"development-pepper-not-secret", b"k", b"x" * 64, b"y" * 200, "pépper".encode()])
def test_make_hasher_precomputes_the_key_yet_equals_a_plain_hmac_for_any_pepper(pepper):
    hasher = make_hasher(pepper)
    for kind, value in [("phone", "+393331234567"), ("email", "a@b.it"), ("email", "è@x.it"), ("phone", "")]:
        assert hasher(kind, value) == hmac.digest(pepper, f"{kind}:{value}".encode(), "sha256")
