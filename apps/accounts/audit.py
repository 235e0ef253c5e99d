"""The audit log of staff actions. Callers pass ids and labels; nothing here accepts an e-mail or a number."""

import re

from django.utils.translation import gettext_lazy as _

from apps.accounts.models import AuditEvent

# The log stores what an event was about as a short English code ("breach inps-2024", "user #12"), which its
# filters and exports match on; pages show it in the reader's language through target_label().
_FIXED_TARGETS = {
    "contact reports": _("contact reports"),
    "number disputes": _("number disputes"),
    "own data": _("their own data"),
    "people page": _("the organisation's people page"),
    "an account": _("an account"),
    "dashboard index": _("the dashboards index"),
    "dashboard": _("the organisation's dashboard"),
    "dashboard CSV": _("the organisation's dashboard (CSV)"),
    "audit log CSV": _("the audit log (CSV)"),
}
_KINDS = {
    "breach": _("breach %(id)s"),
    "caller number": _("caller number %(id)s"),
    "report": _("report %(id)s"),
    "batch": _("invitation batch %(id)s"),
    "invitation": _("invitation %(id)s"),
    "request": _("request to join %(id)s"),
    "user": _("user %(id)s"),
    "account": _("account %(id)s"),
    "dispute": _("dispute %(id)s"),
}
_DISPUTE = re.compile(r"^dispute (\d+) about caller number #(\d+)$")
_KIND = re.compile(r"^({}) #?(.+)$".format("|".join(sorted(map(re.escape, _KINDS), key=len, reverse=True))))


def audit(*, actor, action: str, target: str = "", organisation=None, **details) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target=target,
        organisation=organisation,
        details=details,
    )


def target_label(target: str) -> str:
    """An event's target as the active language writes it; a target of no known kind is shown as stored."""
    if target in _FIXED_TARGETS:
        return str(_FIXED_TARGETS[target])
    dispute = _DISPUTE.match(target)
    if dispute:
        ident, number = dispute.groups()
        return str(_("dispute %(id)s about caller number %(number)s")) % {"id": ident, "number": number}
    match = _KIND.match(target)
    if not match:
        return target
    kind, ident = match.groups()
    return str(_KINDS[kind]) % {"id": ident}
