"""Case officers review the breach memberships people declared themselves.

A declaration is one click away for anyone, so it proves nothing: until an officer confirms it, the person's
reports count in no published figure (apps.insights.scopes counts only Exposure.objects.proven()) and weigh
half. Accepting turns the declaration into an OFFICER_CONFIRMED exposure, which is proven; rejecting deletes
it and leaves a DeclarationRejection, so the person is told it was not confirmed and cannot declare it again.
Either way the exposure's post_save / post_delete queue the person's scope change for the statistics
(apps.insights.receivers), in the same transaction, and the decision is in the audit log.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, QuerySet

from apps.accounts.audit import audit
from apps.accounts.models import AuditEvent, Membership, PersonalPhone
from apps.breaches.models import DeclarationRejection, Exposure
from apps.breaches.signals import exposures_created

Established = Exposure.Established
MAX_PER_DECISION = 200  # a bulk decision covers at most one page of the list, with room to spare


def declarations_pending(*, breach=None) -> QuerySet:
    """Declarations waiting for an officer, oldest first, with what helps to judge them: whether the person
    verified a phone, is an active member of the breach's organisation, and how many reports they made."""
    rows = Exposure.objects.filter(established=Established.SELF_DECLARED)
    if breach is not None:
        rows = rows.filter(breach=breach)
    return (
        rows.select_related("person", "breach__organisation")
        .annotate(
            verified_phone=Exists(
                PersonalPhone.objects.filter(person=OuterRef("person_id"), verified_at__isnull=False)
            ),
            organisation_member=Exists(
                Membership.objects.active().filter(
                    person=OuterRef("person_id"), organisation=OuterRef("breach__organisation_id")
                )
            ),
            reports=Count("person__contact_reports", distinct=True),
        )
        .order_by("created_at", "pk")
    )


@transaction.atomic
def declarations_review(*, exposure_ids, accept: bool, officer) -> int:
    """Accept (confirm) or reject the given pending declarations; returns how many were decided. Ids that
    are not pending declarations (decided meanwhile, or never one) are skipped."""
    ids = sorted({int(pk) for pk in exposure_ids})[:MAX_PER_DECISION]
    pending = list(
        Exposure.objects.select_for_update().filter(pk__in=ids, established=Established.SELF_DECLARED).order_by("pk")
    )
    confirmed = set()
    for exposure in pending:
        if accept:
            _confirm(exposure)
            confirmed.add(exposure.person_id)
        else:
            DeclarationRejection.objects.get_or_create(person_id=exposure.person_id, breach_id=exposure.breach_id)
            exposure.delete()
        audit(
            actor=officer,
            action=AuditEvent.Action.DECLARATION_REVIEWED,
            target=f"member #{exposure.person_id} in breach {exposure.breach_id}",
            decision="accepted" if accept else "rejected",
        )
    if confirmed:
        exposures_created.send(sender=Exposure, person_ids=confirmed)  # their earlier reports weigh fully now
    return len(pending)


def _confirm(exposure: Exposure) -> None:
    already = Exposure.objects.filter(
        person_id=exposure.person_id, breach_id=exposure.breach_id, established=Established.OFFICER_CONFIRMED
    )
    if already.exists():  # the (person, breach, established) rows are unique
        exposure.delete()
    else:
        exposure.established = Established.OFFICER_CONFIRMED
        exposure.save(update_fields=["established"])


def declarations_rejected_for(person) -> QuerySet:
    """The breaches whose declaration by `person` an officer did not confirm."""
    return DeclarationRejection.objects.filter(person=person).select_related("breach").order_by("rejected_at")


def people_not_proven(person_ids) -> set[int]:
    """Of these living people, those none of whose breach memberships is proven and who are no active member
    of an organisation: their reports count in no published figure until an officer reviews them."""
    ids = {pk for pk in person_ids if pk}
    if not ids:
        return set()
    proven = set(Exposure.objects.proven().filter(person_id__in=ids).values_list("person_id", flat=True))
    members = set(Membership.objects.active().filter(person_id__in=ids).values_list("person_id", flat=True))
    living = set(get_user_model().objects.filter(pk__in=ids).values_list("pk", flat=True))
    return living - proven - members
