"""Reactions to accounts' events: verified identifiers and accepted invitations lead to exposures."""

from django.db import transaction
from django.dispatch import receiver

from apps.accounts.signals import identifier_verified, invitation_accepted
from apps.breaches.exposure_tasks import match_person
from apps.breaches.models import Breach, Exposure


@receiver(identifier_verified)
def match_after_verification(sender, person, kind, digest, **kwargs):
    transaction.on_commit(lambda: match_person.delay(person.pk))


@receiver(invitation_accepted)
def expose_invited_person(sender, person, organisation, **kwargs):
    """HR invites the people of its breaches: joining by invitation links them to those breaches."""
    Exposure.objects.bulk_create(
        [
            Exposure(person=person, breach=breach, established=Exposure.Established.INVITATION)
            for breach in Breach.objects.filter(organisation=organisation)
        ],
        ignore_conflicts=True,
    )
