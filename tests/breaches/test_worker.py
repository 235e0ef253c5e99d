"""The worker gives exactly what apps.phones gives: same E.164, same digest (its shortcuts are tested in
tests/phones)."""

import hashlib

import pytest

from apps.breaches.importing import worker
from apps.phones.hashing import identifier_digest


def test_chunk_digests_are_those_of_apps_phones_and_problems_carry_no_value(settings):
    worker.init(settings.IDENTIFIER_PEPPER.encode(), "IT")
    rows = [
        (2, ("333 123 4567", "Mario.Rossi@Example.invalid ")),
        (3, ("not a number", "")),
        (4, ("", "")),
        (5, ("06 1234 5678", "broken@")),
        (6, "too_wide"),
        (7, ("+44 20 7946 0018", "x@y.invalid")),  # a UK landline: phonenumbers' full path
    ]

    phones, emails, skipped, invalid, problems = worker.process_chunk(rows, 1)

    assert phones == [identifier_digest("phone", "+393331234567"), identifier_digest("phone", "+390612345678"),
                      identifier_digest("phone", "+442079460018")]  # fmt: skip
    assert emails == [
        identifier_digest("email", "mario.rossi@example.invalid"),
        identifier_digest("email", "x@y.invalid"),
    ]
    assert (skipped, invalid) == (3, 2)
    assert problems == [(3, "invalid_phone", False), (4, "no_identifier", False), (5, "invalid_email", True),
                        (6, "too_wide", False)]  # fmt: skip


@pytest.mark.parametrize("value", ["a@b", "@b.it", "a@.it", "a@b.", "a b@c.it", "a@@b.it", "a@b..it", "plain"])
def test_emails_without_one_at_and_a_dotted_domain_are_invalid(value, settings):
    worker.init(settings.IDENTIFIER_PEPPER.encode(), "IT")
    assert worker._email_digest(value) is None


def test_a_plain_sha256_of_a_number_is_not_what_is_stored(settings):
    worker.init(settings.IDENTIFIER_PEPPER.encode(), "IT")
    phones, *_ = worker.process_chunk([(2, ("3331234567", ""))], 1)

    assert phones[0] != hashlib.sha256(b"+393331234567").digest()
