"""Invitations to join an organisation: created from HR's CSV, sent by a Celery task, accepted by link."""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from apps.accounts.audit import audit
from apps.accounts.models import AuditEvent, Invitation, InvitationBatch, Membership, User
from apps.accounts.signals import identifier_verified, invitation_accepted
from apps.core.formats import number
from apps.core.mail import send_site_mail
from apps.phones.hashing import email_digest

TOKEN_SALT = "breachwatch.invitation"  # noqa: S105  (a signing namespace, not a secret)
TOKEN_MAX_AGE = 60 * 60 * 24 * 14  # two weeks


NOT_FOR_YOU = gettext_lazy(
    "This invitation was sent to another e-mail address. Log in with the address that received it, "
    "or ask your HR office to invite the address you use here."
)


class InvitationError(Exception):
    def __init__(self, message, code: str):
        super().__init__(str(message))
        self.message, self.code = message, code


def invitation_batch_create(*, organisation, uploaded_by, emails: list[str], skipped: list[dict]) -> InvitationBatch:
    """Record one upload and its invitations, then send them in the background. Addresses already invited to
    this organisation are skipped (counted, not re-sent)."""
    with transaction.atomic():
        batch = InvitationBatch.objects.create(organisation=organisation, uploaded_by=uploaded_by, skipped_rows=skipped)
        members = member_addresses(organisation, emails)
        digests = {email_digest(e): e for e in emails if e not in members}
        existing = set(
            bytes(d)
            for d in Invitation.objects.filter(organisation=organisation, email_digest__in=list(digests)).values_list(
                "email_digest", flat=True
            )
        )
        Invitation.objects.bulk_create(
            Invitation(organisation=organisation, batch=batch, email_digest=d, email=e)
            for d, e in digests.items()
            if d not in existing
        )
        batch.total = len(digests) - len(existing)
        summary = []
        if existing:
            invited = ngettext("%(n)s already invited", "%(n)s already invited", len(existing))
            summary.append({"line": None, "reason": invited % {"n": number(len(existing))}})
        if members:
            summary.append(
                {
                    "line": None,
                    "reason": ngettext(
                        "%(n)s already a member of this organisation",
                        "%(n)s already members of this organisation",
                        len(members),
                    )
                    % {"n": number(len(members))},
                }
            )
        if summary:
            batch.skipped_rows = [*skipped, *summary]
        batch.save(update_fields=["total", "skipped_rows"])
        audit(
            actor=uploaded_by,
            action=AuditEvent.Action.INVITATIONS_UPLOADED,
            organisation=organisation,
            target=f"batch #{batch.pk}",
            invitations=batch.total,
            skipped=len(skipped),
        )
        from apps.accounts.tasks import send_invitations

        transaction.on_commit(lambda: send_invitations.delay(batch.pk))
    return batch


def member_addresses(organisation, emails) -> set[str]:
    """Those of `emails` (normalised) that log in to an active member of `organisation`: HR is told these
    are members already (HR invited or approved them); nothing is said of accounts with no link to it."""
    emails = list(emails)
    if not emails:
        return set()
    members = Membership.objects.active().filter(organisation=organisation)
    found = members.annotate(address=Lower("person__email")).filter(address__in=emails)
    return set(found.values_list("address", flat=True))


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "v": invitation.token_version}, salt=TOKEN_SALT, compress=True)


def invitation_link(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse("accounts:invitation_accept", args=[invitation_token(invitation)])


def invitation_send(invitation: Invitation) -> None:
    # Italian unless the address already has an account with a language of its own (the mail goes to that
    # owner only, so this tells HR nothing); the page itself follows the reader's browser.
    owner = User.objects.filter(email__iexact=invitation.email).values_list("preferred_language", flat=True)
    context = {
        "organisation": invitation.organisation,
        "link": invitation_link(invitation),
        "days": TOKEN_MAX_AGE // 86400,
    }
    send_site_mail(to=invitation.email, language=owner.first(), template="accounts/email/invitation", context=context)


def invitations_send(*, batch_id: int) -> InvitationBatch:
    """Send every pending invitation of a batch, saving progress as it goes. Safe to run again after a crash:
    sent ones are not sent twice."""
    batch = InvitationBatch.objects.select_related("organisation").get(pk=batch_id)
    batch.status = InvitationBatch.Status.SENDING
    batch.save(update_fields=["status"])
    pending = batch.invitations.filter(status=Invitation.Status.PENDING).select_related("organisation")
    for invitation in pending.iterator(chunk_size=200):
        sent = _deliver(invitation)
        counter = "sent" if sent else "failed"
        InvitationBatch.objects.filter(pk=batch.pk).update(**{counter: F(counter) + 1})
    InvitationBatch.objects.filter(pk=batch.pk).update(status=InvitationBatch.Status.DONE, finished_at=timezone.now())
    batch.refresh_from_db()
    return batch


def _deliver(invitation: Invitation) -> bool:
    """Send one pending invitation and record the outcome on its row; True when it went out."""
    try:
        invitation_send(invitation)
    except Exception:  # one bad mailbox must not stop the batch; the row says it failed
        invitation.status = Invitation.Status.FAILED
        invitation.save(update_fields=["status"])
        return False
    invitation.status, invitation.sent_at = Invitation.Status.SENT, timezone.now()
    invitation.save(update_fields=["status", "sent_at"])
    return True


def invitation_deliver(*, invitation_id: int) -> None:
    """Send one invitation that a resend put back to pending (the task's service); a retry after it went out
    does nothing."""
    invitation = Invitation.objects.select_related("organisation").filter(pk=invitation_id).first()
    if invitation is not None and invitation.status == Invitation.Status.PENDING:
        _deliver(invitation)


def invitation_from_token(token: str) -> Invitation:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise InvitationError(_("This invitation has expired. Ask your HR office for a new one."), "expired") from None
    except signing.BadSignature:
        raise InvitationError(_("This invitation link is not valid. Check that you copied all of it."), "bad") from None
    invitation = Invitation.objects.select_related("organisation").filter(pk=data.get("i")).first()
    if invitation is None:
        raise InvitationError(_("This invitation link is not valid. Check that you copied all of it."), "bad")
    if data.get("v", 0) != invitation.token_version:  # links sent before version 1 carry none
        raise InvitationError(
            _("This invitation was sent again, and this link was replaced. Use the link in the latest e-mail."),
            "replaced",
        )
    if invitation.status == Invitation.Status.ACCEPTED:
        raise InvitationError(_("This invitation has already been used."), "used")
    return invitation


def invitation_is_for(invitation: Invitation, person) -> bool:
    """Whether `person` is the one invited: their login e-mail, verified, is the address the invitation was
    sent to (compared as keyed hashes, so the invited address is never decrypted for this)."""
    from allauth.account.models import EmailAddress

    if not person.is_authenticated or bytes(invitation.email_digest) != email_digest(person.email):
        return False
    return EmailAddress.objects.filter(user=person, email__iexact=person.email, verified=True).exists()


def invitation_accept(*, token: str, person) -> Membership:
    """Join the invitation's organisation. The link is single-use and works only for the person it was sent
    to: whoever else holds it (a forwarded mail, a shared screen) is refused, because joining links an account
    to the organisation and to its breaches, which only the invited person may claim."""
    with transaction.atomic():
        invitation = invitation_from_token(token)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status == Invitation.Status.ACCEPTED:
            raise InvitationError(_("This invitation has already been used."), "used")
        if not invitation_is_for(invitation, person):
            raise InvitationError(NOT_FOR_YOU, "not_for_you")
        membership, _created = Membership.objects.get_or_create(
            person=person,
            organisation=invitation.organisation,
            defaults={"source": Membership.Source.INVITATION, "status": Membership.Status.ACTIVE},
        )
        if membership.status != Membership.Status.ACTIVE:
            membership.status, membership.decided_at = Membership.Status.ACTIVE, timezone.now()
            membership.save(update_fields=["status", "decided_at"])
        invitation.status, invitation.accepted_at, invitation.accepted_by = (
            Invitation.Status.ACCEPTED,
            timezone.now(),
            person,
        )
        invitation.email = None  # no longer needed once used
        invitation.save(update_fields=["status", "accepted_at", "accepted_by", "email"])
    transaction.on_commit(
        lambda: invitation_accepted.send(sender=Invitation, person=person, organisation=invitation.organisation)
    )
    # The invited address is the person's verified login e-mail: match it against the datasets too.
    transaction.on_commit(
        lambda: identifier_verified.send(
            sender=Invitation, person=person, kind="email", digest=bytes(invitation.email_digest)
        )
    )
    return membership
