"""Which alerts a person gets (every one they may receive is on until they turn it off) and the signed
one-click unsubscribe links every alert carries (RFC 8058)."""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from apps.accounts.roles import hr_organisations, union_organisations
from apps.notices.models import AlertOptOut, Kind

MEMBER_ALERTS = (Kind.BREACH_MATCH, Kind.NEW_NUMBERS)
REPRESENTATIVE_ALERTS = (Kind.SURGE, Kind.WEEKLY_DIGEST)  # HR of an organisation, union representatives
_SALT = "notices.unsubscribe"


def alerts_offered(person) -> list[str]:
    """The alerts the person may receive: every member's, plus the organisation's for its HR and unions."""
    offered = list(MEMBER_ALERTS)
    if hr_organisations(person).exists() or union_organisations(person).exists():
        offered += REPRESENTATIVE_ALERTS
    return offered


def alerts_wanted(person) -> set[str]:
    """The offered alerts the person has not turned off."""
    off = set(AlertOptOut.objects.filter(person=person).values_list("kind", flat=True))
    return {kind for kind in alerts_offered(person) if kind not in off}


def wants_alert(person, kind: str) -> bool:
    return not AlertOptOut.objects.filter(person=person, kind=kind).exists()


@transaction.atomic
def alert_preferences_set(*, person, wanted: set[str]) -> None:
    """Turn on the offered alerts in `wanted` and off the other offered ones (others are left as they are)."""
    offered = alerts_offered(person)
    AlertOptOut.objects.filter(person=person, kind__in=[k for k in offered if k in wanted]).delete()
    for kind in offered:
        if kind not in wanted:
            AlertOptOut.objects.get_or_create(person=person, kind=kind)


def alert_unsubscribe(*, person, kind: str) -> None:
    AlertOptOut.objects.get_or_create(person=person, kind=kind)


def unsubscribe_token(person, kind: str) -> str:
    """A link's token for (person, kind): signed, so nobody can turn off someone else's alerts by guessing; it
    never expires, as RFC 8058 asks of a link in a message that may be read months later."""
    return signing.dumps([person.pk, str(kind)], salt=_SALT, compress=True)


def unsubscribe_target(token: str) -> tuple[int, str] | None:
    """(person id, kind) of a valid token, else None."""
    try:
        person_id, kind = signing.loads(token, salt=_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return (person_id, kind) if kind in Kind.values else None


def unsubscribe_link(person, kind: str) -> str:
    return settings.SITE_URL + reverse("notices:unsubscribe", args=[unsubscribe_token(person, kind)])


def unsubscribe_headers(link: str) -> dict[str, str]:
    """The headers with which mail clients show their own "unsubscribe" button and POST to the link (RFC 8058)."""
    return {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
