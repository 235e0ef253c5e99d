"""Background matching of people to breaches, and the alert (through the outbox) that tells them.

Matching always runs in a task, so the page where a person verifies an identifier answers the same, in
about the same time, whether the identifier is in a breach or not (DESIGN §2.2).
"""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.urls import reverse

from apps.breaches.matching import exposures_match_breach, exposures_match_person
from apps.breaches.models import Breach, Exposure
from apps.core.mail import site_link
from apps.notices.alerts import alert_enqueue
from apps.notices.models import Kind
from apps.notices.preferences import wants_alert


@shared_task(name="breaches.match_person", acks_late=True, ignore_result=True)
def match_person(person_id: int) -> int:
    """Match one person's verified identifiers against every dataset; e-mail them about new matches."""
    from apps.accounts.selectors import verified_digests

    person = get_user_model().objects.filter(pk=person_id).first()
    if person is None:  # erased meanwhile
        return 0
    phones, emails = verified_digests(person)
    created = exposures_match_person(person=person, phone_digests=phones, email_digests=emails)
    if created:
        notify_exposed.delay([exposure.pk for exposure in created])
    return len(created)


@shared_task(name="breaches.match_breach", acks_late=True, ignore_result=True)
def match_breach(breach_id: int) -> int:
    """After an import: match every registered person's verified identifiers against this breach."""
    from apps.accounts.selectors import verified_identifiers

    breach = Breach.objects.get(pk=breach_id)
    before = set(Exposure.objects.filter(breach=breach).matched().values_list("pk", flat=True))
    count = exposures_match_breach(breach=breach, verified_identifiers=verified_identifiers())
    if count:
        new = Exposure.objects.filter(breach=breach).matched().exclude(pk__in=before).values_list("pk", flat=True)
        notify_exposed.delay(list(new))
    return count


@shared_task(name="breaches.notify_exposed", acks_late=True, ignore_result=True)
def notify_exposed(exposure_ids: list[int]) -> int:
    """Queue "you are in a newly imported breach" in the outbox for each newly matched exposure, in the
    person's language, unless they turned that alert off. Keyed by (breach, person): a task run again after a
    worker crash, a second match run, or a second identifier of the same person in the same breach queues
    nothing more. Returns how many were queued."""
    queued = 0
    exposures = Exposure.objects.filter(pk__in=exposure_ids, person__is_active=True)
    for exposure in exposures.select_related("person", "breach__organisation"):
        if not wants_alert(exposure.person, Kind.BREACH_MATCH):
            continue
        context = {
            "breach": exposure.breach,
            "link": site_link(reverse("breaches:mine")),
            "report_link": site_link(reverse("reports:submit")),
        }
        queued += alert_enqueue(
            kind=Kind.BREACH_MATCH,
            key=f"breach_match:breach={exposure.breach_id}:person={exposure.person_id}",
            person=exposure.person,
            template="breaches/email/exposed",
            context=context,
        )
    return queued
