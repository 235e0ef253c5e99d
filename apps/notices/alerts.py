"""Alerts through the outbox: who receives which, in their language, once per event, with a one-click
unsubscribe link. The figures stay on the dashboards (behind the release layer): an alert names the event."""

from datetime import date

from django.conf import settings
from django.urls import reverse

from apps.accounts.models import Membership, UnionMandate, User
from apps.core.mail import render_site_mail
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
        queued += alert_enqueue(
            kind=Kind.SURGE, key=f"surge:breach={breach.pk}:onset={day}:person={person.pk}", person=person,
            template="notices/email/surge", context=context,
        )  # fmt: skip
    return queued


def alert_enqueue(*, kind: str, key: str, person, template: str, context: dict) -> bool:
    """Queue one alert to one person, keyed by the event (`key`: a second call does nothing), rendered now in
    their language with the one-click unsubscribe link in the footer and in the RFC 8058 headers. The caller
    checks wants_alert first. True when it was queued.

    Rendered when queued, not at delivery: the row then holds exactly the words that leave (what an officer
    sees on the admin is what was sent, and a retry sends the same bytes under the same Message-ID), a
    template that fails to render fails in the task that found the event instead of as a "refused" send, and
    the worker that delivers needs no templates, no translations and no objects that may be gone by then."""
    unsubscribe = unsubscribe_link(person, kind)
    language = person.preferred_language or "it"
    mail = render_site_mail(
        language=language, template=template, context={**context, "unsubscribe_link": unsubscribe, "kind": Kind(kind)}
    )
    message = enqueue(
        kind=kind, key=key, to=person.email, person=person, language=language,
        subject=mail.subject, text=mail.text, html=mail.html, headers=unsubscribe_headers(unsubscribe),
    )  # fmt: skip
    return message is not None
