"""A person's reports weigh more once they prove a phone or are linked to a breach (DESIGN §2.3)."""

from django.db import transaction
from django.dispatch import receiver

from apps.accounts.signals import identifier_verified, invitation_accepted
from apps.breaches.signals import exposures_created
from apps.reports.tasks import reweigh_reporter


def _reweigh_after_commit(person_id: int) -> None:
    transaction.on_commit(lambda: reweigh_reporter.delay(person_id))


@receiver(identifier_verified)
def reweigh_after_verification(sender, person, kind, **kwargs):
    if kind == "phone":
        _reweigh_after_commit(person.pk)


@receiver(invitation_accepted)
def reweigh_after_invitation(sender, person, **kwargs):
    _reweigh_after_commit(person.pk)


@receiver(exposures_created)
def reweigh_after_exposures(sender, person_ids, **kwargs):
    for person_id in sorted(person_ids):
        _reweigh_after_commit(person_id)
