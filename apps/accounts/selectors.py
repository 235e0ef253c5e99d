"""Reads of accounts that other apps need, returning plain data."""

from collections.abc import Iterator
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.db.models import Case, Count, QuerySet, Value, When
from django.utils import timezone

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


# What HR sees of an invitation: its state as a person reads it. "expired" is a sent invitation whose link is
# older than the token lasts (services.invitations.TOKEN_MAX_AGE); a resend makes it "sent" again.
INVITATION_STATES = ("sent", "accepted", "expired", "waiting", "failed")


def invitations_of(organisation, *, state: str = "") -> QuerySet:
    """The organisation's invitations newest first, each annotated with `state` (one of INVITATION_STATES),
    optionally only those in one state."""
    from apps.accounts.models import Invitation
    from apps.accounts.services.invitations import TOKEN_MAX_AGE

    expired_before = timezone.now() - timedelta(seconds=TOKEN_MAX_AGE)
    status = Invitation.Status
    invitations = Invitation.objects.filter(organisation=organisation).annotate(
        state=Case(
            When(status=status.ACCEPTED, then=Value("accepted")),
            When(status=status.SENT, sent_at__lt=expired_before, then=Value("expired")),
            When(status=status.SENT, then=Value("sent")),
            When(status=status.FAILED, then=Value("failed")),
            default=Value("waiting"),
        )
    )
    if state:
        invitations = invitations.filter(state=state)
    return invitations.order_by("-created_at", "-pk")


def invitation_state_counts(organisation) -> dict[str, int]:
    """How many invitations are in each state, in one query."""
    counts = dict.fromkeys(INVITATION_STATES, 0)
    rows = invitations_of(organisation).order_by().values("state").annotate(n=Count("pk"))
    counts.update({row["state"]: row["n"] for row in rows})
    return counts
