"""Reactions to accounts' events: verified identifiers and accepted invitations lead to exposures."""

from django.db import transaction
from django.dispatch import receiver

from apps.accounts.signals import identifier_verified, invitation_accepted
from apps.breaches.exposure_tasks import match_person
from apps.breaches.models import Breach, Exposure
from apps.core.after_response import delay_after_response


@receiver(identifier_verified)
def match_after_verification(sender, person, kind, digest, **kwargs):
    # After the response, also when tasks run eagerly: the page where a person verifies an identifier must
    # answer the same, in the same time, whether the identifier is in a breach or not (DESIGN §2.2).
    transaction.on_commit(lambda: delay_after_response(match_person, person.pk))


@receiver(invitation_accepted)
def expose_invited_person(sender, person, organisation, **kwargs):
    """HR invites the people of its breaches: joining by invitation links them to those breaches, except
    sensitive ones. Membership of a sensitive breach is shown only to a verified owner of an identifier in its
    dataset (a dataset match), never inferred from being on the organisation's staff list."""
    Exposure.objects.bulk_create(
        [
            Exposure(person=person, breach=breach, established=Exposure.Established.INVITATION)
            for breach in Breach.objects.filter(organisation=organisation).public()
        ],
        ignore_conflicts=True,
    )
