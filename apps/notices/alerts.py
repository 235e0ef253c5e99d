"""Alerts through the outbox: who receives which, in their language, once per event, with a one-click
unsubscribe link. The figures stay on the dashboards (behind the release layer): an alert names the event."""

from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from apps.accounts.models import Membership, UnionMandate, User
from apps.notices.models import Kind
from apps.notices.outbox import enqueue
from apps.notices.preferences import unsubscribe_headers, unsubscribe_link, wants_alert


def organisation_representatives(organisation) -> list[User]:
    """The active HR of the organisation and the union representatives covering it, each once."""
    hr = Membership.objects.hr().filter(organisation=organisation).values("person")
    unions = UnionMandate.objects.filter(organisations=organisation).values("representative")
    return list(User.objects.filter(is_active=True).filter(pk__in=hr).union(User.objects.filter(pk__in=unions)))


def surge_alert_send(*, breach, onset: dict) -> int:
    """Queue the surge alert for each representative of the breach's organisation who wants it. Returns how
    many were queued (a second call for the same onset queues none)."""
    organisation = breach.organisation
    day = date.fromisoformat(onset["date"])
    link = settings.SITE_URL + reverse("insights:dashboard", args=[organisation.slug])
    queued = 0
    for person in organisation_representatives(organisation):
        if not person.is_active or not wants_alert(person, Kind.SURGE):
            continue
        context = {"breach": breach, "organisation": organisation, "onset": day, "link": link}
        queued += _enqueue_alert(
            kind=Kind.SURGE, key=f"surge:breach={breach.pk}:onset={day}:person={person.pk}", person=person,
            template="notices/email/surge", context=context,
        )  # fmt: skip
    return queued


def _enqueue_alert(*, kind: str, key: str, person, template: str, context: dict) -> bool:
    language = person.preferred_language or "it"
    unsubscribe = unsubscribe_link(person, kind)
    context = {**context, "unsubscribe_link": unsubscribe, "site_url": settings.SITE_URL, "kind": Kind(kind)}
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = enqueue(
        kind=kind, key=key, to=person.email, person=person, language=language,
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, text=text, html=html,
        headers=unsubscribe_headers(unsubscribe),
    )  # fmt: skip
    return message is not None
