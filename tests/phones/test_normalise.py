import re

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.phones import normalise
from apps.phones.normalise import InvalidPhoneNumber, normalise_email, normalise_phone

E164 = re.compile(r"^\+[1-9]\d{6,14}$")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("333 123 4567", "+393331234567"),
        ("+39 333 1234567", "+393331234567"),
        ("0039 333-123-4567", "+393331234567"),
        ("3331234567", "+393331234567"),
        ("333.123.4567", "+393331234567"),
        ("(333) 123-4567", "+393331234567"),
        ("  +39 333 123 4567  ", "+393331234567"),
        ("+39\u00a0333\u00a01234567", "+393331234567"),  # non-breaking spaces, as pasted from web pages
        ("+39 333–123–4567", "+393331234567"),  # en dashes
        ("＋３９３３３１２３４５６７", "+393331234567"),  # full-width, as some keyboards paste
        ("+39 06 1234 5678", "+390612345678"),
        ("(06) 1234-5678", "+390612345678"),
        ("06/12345678", "+390612345678"),
        ("+234 803 123 4567", "+2348031234567"),
        ("00234 8031234567", "+2348031234567"),
        ("+92 300 1234567", "+923001234567"),
        ("+91 98765 43210", "+919876543210"),
        ("+880 1712-345678", "+8801712345678"),
        ("+44 (0)20 7946 0958", "+442079460958"),
    ],
)
def test_normalise_phone_accepts_every_common_form(raw, expected):
    assert normalise_phone(raw) == expected


def test_normalise_phone_reads_numbers_without_prefix_in_the_given_region():
    assert normalise_phone("0803 123 4567", region="NG") == "+2348031234567"
    assert normalise_phone("0803 123 4567", region="ng") == "+2348031234567"


def test_normalise_phone_defaults_to_the_configured_region(settings):
    settings.PHONE_DEFAULT_REGION = "NG"
    assert normalise_phone("0803 123 4567") == "+2348031234567"


def test_normalise_phone_reads_a_leading_00_as_international_whatever_the_region():
    # The United States dial 011 abroad, so phonenumbers alone would read 00 as part of a US number.
    assert normalise_phone("0039 333 123 4567", region="US") == "+393331234567"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("call 333 123 4567", "unparseable"),
        ("333 123 4567 ext. 12", "unparseable"),
        ("333 123 4567 📞", "unparseable"),
        ("+39 333 +1234567", "unparseable"),
        ("()-./", "unparseable"),
        ("+", "unparseable"),
        ("12", "too_short"),
        ("+39 333", "too_short"),
        ("1" * 41, "too_long"),
        ("+39 333 1234567 1234567", "too_long"),
        ("+999 1234567", "invalid"),
        ("+39 999 1234567", "invalid"),
    ],
)
def test_normalise_phone_rejects_bad_input_with_a_code(raw, code):
    with pytest.raises(InvalidPhoneNumber) as caught:
        normalise_phone(raw)
    assert caught.value.code == code
    assert str(caught.value) == str(caught.value.message)


def test_normalise_phone_refuses_over_long_input_without_parsing(monkeypatch):
    monkeypatch.setattr(phonenumbers, "parse", lambda *a, **k: pytest.fail("parsed"))
    before = normalise_phone.cache_info().currsize
    with pytest.raises(InvalidPhoneNumber) as caught:
        normalise_phone("+39 " + "3" * 100)
    assert caught.value.code == "too_long"
    assert normalise_phone.cache_info().currsize == before


def test_invalid_phone_number_messages_are_human():
    assert "too short" in str(InvalidPhoneNumber("too_short"))
    assert "mobile" in str(InvalidPhoneNumber("not_mobile"))
    assert "+ or 00" in str(InvalidPhoneNumber("unparseable"))
    assert isinstance(InvalidPhoneNumber("invalid"), ValueError)


def test_normalise_phone_with_mobile_only_accepts_mobiles_and_refuses_landlines():
    assert normalise_phone("333 123 4567", mobile_only=True) == "+393331234567"
    assert normalise_phone("+1 201 555 0123", mobile_only=True) == "+12015550123"  # fixed line or mobile
    with pytest.raises(InvalidPhoneNumber) as caught:
        normalise_phone("06 1234 5678", mobile_only=True)
    assert caught.value.code == "not_mobile"
    with pytest.raises(InvalidPhoneNumber) as caught:
        normalise_phone("800 123 456", mobile_only=True)
    assert caught.value.code == "not_mobile"


def test_normalise_phone_accepts_a_merely_possible_number_only_when_asked():
    with pytest.raises(InvalidPhoneNumber) as caught:
        normalise_phone("+39 399 000 0000 0")
    assert caught.value.code == "invalid"
    assert normalise_phone("+39 399 000 0000 0", require_valid=False) == "+3939900000000"
    with pytest.raises(InvalidPhoneNumber) as caught:
        normalise_phone("+39 12", require_valid=False)
    assert caught.value.code == "too_short"


def test_normalise_phone_serves_repeated_strings_from_the_cache(monkeypatch):
    raw = "+39 333 765 4321"
    normalise_phone(raw)
    before = normalise_phone.cache_info()
    monkeypatch.setattr(phonenumbers, "parse", lambda *a, **k: pytest.fail("parsed again"))
    assert normalise_phone(raw) == "+393337654321"
    assert normalise_phone.cache_info().hits == before.hits + 1
    assert normalise_phone.cache_info().misses == before.misses


def test_normalise_phone_caches_errors_too(monkeypatch):
    raw = "+39 999 765 4321"
    with pytest.raises(InvalidPhoneNumber):
        normalise_phone(raw)
    monkeypatch.setattr(phonenumbers, "parse", lambda *a, **k: pytest.fail("parsed again"))
    with pytest.raises(InvalidPhoneNumber) as caught:
        normalise_phone(raw)
    assert caught.value.code == "invalid"


def test_normalise_phone_cache_keys_on_the_region(settings):
    assert normalise_phone("0803 123 4567", region="NG") == "+2348031234567"
    assert normalise_phone("0803 123 4567", region="IT") == "+3908031234567"  # a Bari landline
    settings.PHONE_DEFAULT_REGION = "NG"
    assert normalise_phone("0803 123 4567") == "+2348031234567"


def test_normalise_phone_cache_is_bounded():
    assert normalise._normalise_cached.cache_info().maxsize


@given(st.text())
def test_normalise_phone_returns_e164_or_raises_invalid_phone_number_for_any_text(raw):
    _assert_e164_or_invalid(raw)


@given(st.from_regex(r"[+0-9 ()./-]{0,30}", fullmatch=True), st.booleans(), st.booleans())
def test_normalise_phone_returns_e164_or_raises_invalid_phone_number_for_digitish_text(raw, mobile, valid):
    _assert_e164_or_invalid(raw, mobile_only=mobile, require_valid=valid)
    _assert_e164_or_invalid(raw, region="NG", mobile_only=mobile, require_valid=valid)


def _assert_e164_or_invalid(raw, **kwargs):
    try:
        result = normalise_phone(raw, **kwargs)
    except InvalidPhoneNumber as error:
        assert error.code in InvalidPhoneNumber.CODES
    else:
        assert E164.match(result), result
        assert normalise_phone(result, **kwargs) == result  # idempotent


def test_normalise_email_trims_and_lower_cases():
    assert normalise_email("  Mario.Rossi@Example.IT \n") == "mario.rossi@example.it"
    assert normalise_email("") == ""
