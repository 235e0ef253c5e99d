"""A person's own data (GDPR art. 15 and 17): everything the site holds about them, and its erasure.

Each app adds what it holds with @export_section and @erasure_step in its own `privacy.py`; they are
discovered like admin modules, so a new app cannot forget to appear in the export or to be erased.
"""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from apps.phones.hashing import email_digest

_sections: dict[str, Callable] = {}
_erasers: list[tuple[int, Callable]] = []


def export_section(name: str):
    def register(func):
        _sections[name] = func
        return func

    return register


def erasure_step(*, order: int = 50):
    """Register a function(person) that removes or anonymises what its app holds, before the user row goes."""

    def register(func):
        if func not in [f for _, f in _erasers]:
            _erasers.append((order, func))
        return func

    return register


def personal_data_export(person) -> dict:
    autodiscover_modules("privacy")
    return {
        "generated_at": timezone.now().isoformat(),
        "about": "Everything BreachWatch holds about you. Identifiers of yours found in leaked datasets are "
        "held only as keyed hashes, which is why they do not appear here as text.",
        **{name: section(person) for name, section in sorted(_sections.items())},
    }


def account_erase(*, person) -> None:
    """Remove the person's personal data everywhere. Contributions to statistics stay only as anonymous
    rows (each app's erasure step unlinks them), and the audit trail keeps the event without the person."""
    autodiscover_modules("privacy")
    with transaction.atomic():
        for _, step in sorted(_erasers, key=lambda item: item[0]):
            step(person)
        get_user_model().objects.filter(pk=person.pk).delete()


# --- What accounts itself holds ----------------------------------------------------------------------------


@export_section("account")
def _account(person) -> dict:
    from allauth.account.models import EmailAddress

    return {
        "email": person.email,
        "email_verified": EmailAddress.objects.filter(user=person, verified=True).exists(),
        "display_name": person.display_name,
        "preferred_language": person.preferred_language,
        "date_joined": person.date_joined.isoformat(),
        "reporting_since": person.observed_since.isoformat(),
        "last_login": person.last_login.isoformat() if person.last_login else None,
    }


@export_section("phones")
def _phones(person) -> list[dict]:
    return [
        {"number": p.number, "label": p.label, "verified_at": p.verified_at.isoformat() if p.verified_at else None}
        for p in person.phones.order_by("created_at")
    ]


@export_section("organisations")
def _organisations(person) -> list[dict]:
    return [
        {"organisation": m.organisation.name, "role": m.role, "status": m.status, "joined": m.created_at.isoformat()}
        for m in person.memberships.select_related("organisation")
    ]


@export_section("union_mandates")
def _mandates(person) -> list[dict]:
    return [
        {"union": m.union.name, "organisations": [o.name for o in m.organisations.all()]}
        for m in person.mandates.select_related("union").prefetch_related("organisations")
    ]


@export_section("api_token")
def _api_token(person) -> dict:
    """Whether the person has an API token for phone apps, and since when; never the key itself."""
    from rest_framework.authtoken.models import Token

    created = Token.objects.filter(user=person).values_list("created", flat=True).first()
    return {"exists": created is not None, "created": created.isoformat() if created else None}


@export_section("two_factor")
def _two_factor(person) -> dict:
    """Whether two-factor authentication is on and with what; never a secret or a recovery code."""
    from allauth.mfa.models import Authenticator

    methods = [
        {
            "type": a.type,
            "created": a.created_at.isoformat(),
            "last_used": a.last_used_at.isoformat() if a.last_used_at else None,
        }
        for a in Authenticator.objects.filter(user=person).order_by("created_at")
    ]
    return {"enabled": any(m["type"] == Authenticator.Type.TOTP for m in methods), "methods": methods}


@export_section("audit_events")
def _audit_events(person) -> list[dict]:
    """What the audit log holds about the person: what they did, and what happened to their account."""
    from apps.accounts.models import AuditEvent

    events = AuditEvent.objects.filter(Q(actor=person) | Q(target=f"user #{person.pk}")).select_related("organisation")
    return [
        {
            "at": e.at.isoformat(),
            "action": e.action,
            "by_you": e.actor_id == person.pk,
            "target": e.target,
            "organisation": e.organisation.name if e.organisation else None,
            "details": e.details,
        }
        for e in events.order_by("at")
    ]


@erasure_step(order=90)
def _erase_account_traces(person) -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from axes.models import AccessAttempt, AccessFailureLog

    from apps.accounts.models import AuditEvent, Invitation, PhoneCode
    from apps.accounts.throttling import axes_account_key

    EmailAddress.objects.filter(user=person).delete()
    # Codes outlive their phone row for the daily limit; they go with the person.
    PhoneCode.objects.filter(digest__in=[bytes(d) for d in person.phones.values_list("digest", flat=True)]).delete()
    account_key = axes_account_key(None, {"email": person.email})
    AccessAttempt.objects.filter(username=account_key).delete()
    AccessFailureLog.objects.filter(username=account_key).delete()
    Authenticator.objects.filter(user=person).delete()
    # Invitations to them go (their hash is still personal data); HR keeps the counts on the batch.
    Invitation.objects.filter(Q(accepted_by=person) | Q(email_digest=email_digest(person.email))).delete()
    AuditEvent.objects.create(action=AuditEvent.Action.ACCOUNT_ERASED, target="an account")
