"""What HR does with invitations one at a time: invite a single address, send an invitation again.

What HR learns is limited to their own organisation: an address that is already a member of it, or already
invited to it, is told apart (HR invited or approved them); an address with an account but no link to the
organisation gets an ordinary invitation, so whether someone is registered on BreachWatch is never revealed.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.audit import audit
from apps.accounts.models import AuditEvent, Invitation, InvitationBatch
from apps.accounts.services.invitations import invitation_batch_create, member_addresses
from apps.core.formats import short_date
from apps.phones.hashing import email_digest
from apps.phones.normalise import normalise_email

# A resend is for a lost or expired e-mail, not a way to flood someone's mailbox.
RESEND_MIN_INTERVAL = timedelta(hours=1)


class InvitationRefused(Exception):
    """Nothing was sent; `message` says why in HR's words."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def invitation_invite_one(*, organisation, invited_by, email: str) -> InvitationBatch:
    """Invite one address (a batch of one, sent by the same task as a CSV upload)."""
    email = normalise_email(email)
    if member_addresses(organisation, [email]):
        raise InvitationRefused(_("This address is already a member of this organisation."))
    earlier = Invitation.objects.filter(organisation=organisation, email_digest=email_digest(email)).first()
    if earlier is not None:
        if earlier.status == Invitation.Status.ACCEPTED:
            raise InvitationRefused(_("This address already accepted an invitation to this organisation."))
        raise InvitationRefused(
            _("This address was already invited on %(day)s. To send it again, use “Send again” in the list below.")
            % {"day": short_date(timezone.localdate(earlier.created_at))}
        )
    return invitation_batch_create(organisation=organisation, uploaded_by=invited_by, emails=[email], skipped=[])


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor) -> Invitation:
    """Send a not yet accepted invitation again with a new link; the links of earlier e-mails stop working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status == Invitation.Status.ACCEPTED:
        raise ValidationError(_("This invitation was accepted: there is nothing to send again."))
    if invitation.email is None:
        raise ValidationError(_("This invitation's address is no longer kept, so it cannot be sent again."))
    if invitation.sent_at and timezone.now() - invitation.sent_at < RESEND_MIN_INTERVAL:
        raise ValidationError(_("This invitation was sent less than an hour ago. Wait before sending it again."))
    invitation.token_version += 1
    invitation.status = Invitation.Status.PENDING
    invitation.save(update_fields=["token_version", "status"])
    audit(
        actor=actor,
        action=AuditEvent.Action.INVITATION_RESENT,
        organisation=invitation.organisation,
        target=f"invitation #{invitation.pk}",
    )
    from apps.accounts.tasks import send_invitation

    transaction.on_commit(lambda: send_invitation.delay(invitation.pk))
    return invitation
