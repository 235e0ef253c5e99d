from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.audit import audit
from apps.accounts.models import AuditEvent, Membership


class MembershipError(Exception):
    def __init__(self, message, code: str):
        super().__init__(str(message))
        self.message, self.code = message, code


def membership_request(*, person, organisation) -> Membership:
    """Ask to join an organisation; HR decides."""
    membership, created = Membership.objects.get_or_create(
        person=person,
        organisation=organisation,
        defaults={"status": Membership.Status.REQUESTED, "source": Membership.Source.REQUEST},
    )
    if not created:
        if membership.status == Membership.Status.ACTIVE:
            raise MembershipError(_("You are already a member of %(org)s.") % {"org": organisation.name}, "member")
        raise MembershipError(
            _("Your request to join %(org)s is waiting for HR.") % {"org": organisation.name}, "pending"
        )
    return membership


def membership_decide(*, membership: Membership, approve: bool, decided_by) -> Membership | None:
    """HR approves (the person becomes a member) or rejects (the request is deleted) a request to join."""
    if membership.status != Membership.Status.REQUESTED:
        raise MembershipError(_("This request has already been decided."), "decided")
    with transaction.atomic():
        audit(
            actor=decided_by,
            action=AuditEvent.Action.JOIN_DECIDED,
            organisation=membership.organisation,
            target=f"request #{membership.pk}",
            approved=approve,
        )
        if not approve:
            membership.delete()
            return None
        membership.status, membership.decided_at = Membership.Status.ACTIVE, timezone.now()
        membership.save(update_fields=["status", "decided_at"])
    return membership
