import dataclasses
import pickle

import phonenumbers
import pytest

from apps.phones.enrich import LINE_TYPE_CHOICES, NumberFacts, enrich
from apps.phones.normalise import InvalidPhoneNumber, normalise_phone


def test_enrich_recognises_a_nigerian_mtn_mobile():
    facts = enrich(normalise_phone("+234 803 123 4567"))
    assert facts.e164 == "+2348031234567"
    assert (facts.country, facts.country_name) == ("NG", "Nigeria")
    assert facts.line_type == "mobile"
    assert facts.carrier == "MTN"
    assert facts.valid and facts.possible
    assert facts.region == ""  # the geocoder only knows the country, which is not a region


@pytest.mark.parametrize(
    ("raw", "country", "name"),
    [
        ("+92 300 1234567", "PK", "Pakistan"),
        ("+91 98765 43210", "IN", "India"),
        ("+880 1712-345678", "BD", "Bangladesh"),
    ],
)
def test_enrich_gives_country_and_carrier_of_south_asian_mobiles(raw, country, name):
    facts = enrich(normalise_phone(raw))
    assert (facts.country, facts.country_name, facts.line_type) == (country, name, "mobile")
    assert facts.carrier


def test_enrich_names_italy_for_an_italian_mobile_though_vatican_city_shares_the_code():
    facts = enrich("+393331234567")
    assert (facts.country, facts.country_name, facts.line_type, facts.carrier) == ("IT", "Italy", "mobile", "TIM")


def test_enrich_places_an_italian_landline_in_its_city():
    facts = enrich(normalise_phone("+39 06 1234 5678"))
    assert facts.country == "IT"
    assert facts.line_type == "fixed"
    assert facts.region in {"Rome", "Roma"}
    assert facts.carrier == ""


@pytest.mark.parametrize(("raw", "country"), [("800 123 456", "IT"), ("+1 800 555 0199", "US")])
def test_enrich_recognises_toll_free_numbers(raw, country):
    facts = enrich(normalise_phone(raw))
    assert (facts.country, facts.line_type, facts.valid) == (country, "toll_free", True)


def test_enrich_leaves_country_empty_for_non_geographic_numbers():
    facts = enrich(normalise_phone("+800 1234 5678"))
    assert (facts.country, facts.country_name, facts.line_type) == ("", "", "toll_free")


def test_enrich_describes_a_possible_but_invalid_number_by_its_calling_code():
    e164 = normalise_phone("+39 399 000 0000 0", require_valid=False)
    facts = enrich(e164)
    assert (facts.valid, facts.possible) == (False, True)
    assert (facts.country, facts.country_name) == ("IT", "Italy")
    assert (facts.line_type, facts.region, facts.carrier) == ("unknown", "", "")


@pytest.mark.parametrize("bad", ["", "393331234567", "+39 333 1234567", "+0123456789"])
def test_enrich_refuses_anything_but_e164(bad):
    with pytest.raises(InvalidPhoneNumber):
        enrich(bad)


def test_enrich_serves_a_repeated_number_from_the_cache(monkeypatch):
    first = enrich("+2348091234567")
    monkeypatch.setattr(phonenumbers, "parse", lambda *a, **k: pytest.fail("parsed again"))
    hits = enrich.cache_info().hits
    assert enrich("+2348091234567") is first
    assert enrich.cache_info().hits == hits + 1
    assert enrich.cache_info().maxsize


def test_number_facts_are_frozen_and_picklable_for_tasks():
    facts = enrich("+393331234567")
    with pytest.raises(dataclasses.FrozenInstanceError):
        facts.country = "NG"
    assert pickle.loads(pickle.dumps(facts)) == facts  # noqa: S301  (our own bytes)
    assert type(facts.line_type) is str
    assert isinstance(facts, NumberFacts)


def test_line_type_choices_cover_every_line_type_enrich_returns():
    values = [value for value, _label in LINE_TYPE_CHOICES]
    assert values == [
        "mobile", "fixed", "fixed_or_mobile", "voip", "toll_free", "premium", "shared_cost",
        "personal", "pager", "uan", "voicemail", "unknown",
    ]  # fmt: skip
    assert all(str(label) for _value, label in LINE_TYPE_CHOICES)
