"""Reads of accounts that other apps need, returning plain data."""

from collections.abc import Iterator

from allauth.account.models import EmailAddress

from apps.accounts.models import PersonalPhone
from apps.phones.hashing import email_digest


def verified_digests(person) -> tuple[list[bytes], list[bytes]]:
    """(phone digests, e-mail digests) of the identifiers `person` has proven are theirs."""
    phones = [
        bytes(d)
        for d in PersonalPhone.objects.filter(person=person, verified_at__isnull=False).values_list("digest", flat=True)
    ]
    emails = [
        email_digest(e) for e in EmailAddress.objects.filter(user=person, verified=True).values_list("email", flat=True)
    ]
    return phones, emails


def verified_identifiers() -> Iterator[tuple[int, str, bytes]]:
    """(person id, kind, digest) for every verified identifier of every person, streamed."""
    for person_id, digest in (
        PersonalPhone.objects.filter(verified_at__isnull=False)
        .values_list("person_id", "digest")
        .iterator(chunk_size=2000)
    ):
        yield person_id, "phone", bytes(digest)
    for person_id, email in (
        EmailAddress.objects.filter(verified=True).values_list("user_id", "email").iterator(chunk_size=2000)
    ):
        yield person_id, "email", email_digest(email)
