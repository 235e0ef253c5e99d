from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.breaches.matching import exposure_declare, exposures_match_breach, exposures_match_person
from apps.breaches.models import Breach, ExposedIdentifier, Exposure
from apps.breaches.selectors import breach_ids_holding, identifier_counts_by_kind
from apps.phones.hashing import email_digest, phone_digest

pytestmark = pytest.mark.django_db

PHONE, EMAIL = phone_digest("+393331234567"), email_digest("person@example.invalid")


@pytest.fixture
def second_breach(organisation):
    return Breach.objects.create(organisation=organisation, title="Second", slug="second", occurred_on=date(2025, 1, 1))


def hold(breach, kind, digest):
    ExposedIdentifier.objects.create(breach=breach, kind=kind, digest=digest)


def test_matching_a_person_links_every_breach_holding_a_verified_identifier(breach, second_breach, person):
    hold(breach, "phone", PHONE)
    hold(second_breach, "email", EMAIL)

    created = exposures_match_person(person=person, phone_digests=[PHONE], email_digests=[EMAIL])

    assert {e.breach_id for e in created} == {breach.pk, second_breach.pk}
    assert all(e.established == Exposure.Established.DATASET_MATCH for e in created)


def test_matching_a_person_again_creates_nothing_and_returns_only_new_exposures(breach, second_breach, person):
    hold(breach, "phone", PHONE)
    exposures_match_person(person=person, phone_digests=[PHONE], email_digests=[])
    hold(second_breach, "phone", PHONE)

    again = exposures_match_person(person=person, phone_digests=[PHONE], email_digests=[])

    assert [e.breach_id for e in again] == [second_breach.pk]
    assert Exposure.objects.count() == 2


def test_a_digest_matches_only_its_own_kind(breach, person):
    hold(breach, "email", PHONE)  # the same bytes under the other kind: never a match
    assert exposures_match_person(person=person, phone_digests=[PHONE], email_digests=[]) == []


def test_matching_without_identifiers_finds_nothing(breach, person):
    hold(breach, "phone", PHONE)
    assert exposures_match_person(person=person, phone_digests=[], email_digests=[]) == []


def test_matching_a_breach_links_the_people_whose_verified_identifiers_it_holds(breach, person, make_person):
    other, unrelated = make_person("other@example.invalid"), make_person("unrelated@example.invalid")
    hold(breach, "phone", PHONE)
    hold(breach, "email", email_digest("other@example.invalid"))
    verified = [
        (person.pk, "phone", PHONE),
        (other.pk, "email", email_digest("other@example.invalid")),
        (other.pk, "phone", PHONE),  # two people verified one number (a shared family phone)
        (unrelated.pk, "email", email_digest("unrelated@example.invalid")),
    ]

    assert exposures_match_breach(breach=breach, verified_identifiers=iter(verified)) == 2
    assert exposures_match_breach(breach=breach, verified_identifiers=iter(verified)) == 0
    assert set(Exposure.objects.values_list("person_id", flat=True)) == {person.pk, other.pk}


def test_matching_a_breach_reads_the_identifiers_in_batches(breach, person, monkeypatch):
    monkeypatch.setattr("apps.breaches.matching.BATCH", 10)
    hold(breach, "phone", PHONE)
    verified = [(person.pk, "email", email_digest(f"p{n}@example.invalid")) for n in range(35)]
    verified.append((person.pk, "phone", PHONE))

    with CaptureQueriesContext(connection) as queries:
        assert exposures_match_breach(breach=breach, verified_identifiers=verified) == 1
    assert sum("breaches_exposedidentifier" in q["sql"] for q in queries.captured_queries) == 4


def test_declared_and_matched_exposures_stay_distinct(breach, person):
    hold(breach, "phone", PHONE)
    declared = exposure_declare(person=person, breach=breach)
    assert exposure_declare(person=person, breach=breach) == declared  # idempotent
    exposures_match_person(person=person, phone_digests=[PHONE], email_digests=[])

    mine = Exposure.objects.of_person(person)
    assert mine.count() == 2 and mine.matched().count() == 1 and mine.declared().get() == declared
    assert mine.breach_ids() == {breach.pk}


def test_public_breaches_exclude_sensitive_ones(breach, second_breach):
    second_breach.is_sensitive = True
    second_breach.save()

    assert list(Breach.objects.public()) == [breach]


def test_the_lookup_selector_and_the_counts(breach, second_breach):
    hold(breach, "phone", PHONE)
    hold(breach, "email", EMAIL)
    hold(second_breach, "email", EMAIL)

    assert set(breach_ids_holding(phone_digests=[PHONE])) == {breach.pk}
    assert set(breach_ids_holding(email_digests=[EMAIL])) == {breach.pk, second_breach.pk}
    assert list(breach_ids_holding()) == []
    assert identifier_counts_by_kind(breach=breach) == {"phone": 1, "email": 1}


def test_deleting_a_breach_deletes_its_identifiers_in_one_statement(breach, second_breach):
    hold(breach, "phone", PHONE)
    hold(second_breach, "phone", PHONE)

    with CaptureQueriesContext(connection) as queries:
        breach.delete()

    deletes = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith("DELETE") and "exposedidentifier" in q["sql"]
    ]
    assert len(deletes) == 1
    assert list(ExposedIdentifier.objects.values_list("breach_id", flat=True)) == [second_breach.pk]


def test_a_breach_validates_its_categories_sources_and_dates(breach):
    from django.core.exceptions import ValidationError

    breach.data_categories = ["name", "shoe_size"]
    breach.sources = ["javascript:alert(1)"]
    breach.disclosed_on = date(2020, 1, 1)
    with pytest.raises(ValidationError) as invalid:
        breach.full_clean()

    assert set(invalid.value.message_dict) == {"data_categories", "sources", "disclosed_on"}


def test_category_labels_follow_the_active_language(breach):
    from django.utils import translation

    with translation.override("en"):
        assert breach.data_category_labels == ["name", "phone number", "e-mail address"]
