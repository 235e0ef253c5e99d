"""The audit log of staff actions. Callers pass ids and labels; nothing here accepts an e-mail or a number."""

from apps.accounts.models import AuditEvent


def audit(*, actor, action: str, target: str = "", organisation=None, **details) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target=target,
        organisation=organisation,
        details=details,
    )
