"""Signals: the audit trail of logins, lockouts and role changes; and the 'identifier verified' event."""

import django.dispatch
from allauth.account.signals import email_confirmed
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from apps.accounts.audit import audit
from apps.accounts.models import AuditEvent, Membership, UnionMandate, User
from apps.accounts.roles import needs_mfa

# Sent after a person proves an identifier is theirs (kind "email" or "phone", digest = keyed hash), so the
# breaches app can look them up in imported datasets without accounts knowing about breaches.
identifier_verified = django.dispatch.Signal()
# Sent when a person joins an organisation through HR's invitation: HR invites the people of its breaches.
invitation_accepted = django.dispatch.Signal()


@receiver(email_confirmed)
def announce_confirmed_email(sender, request, email_address, **kwargs):
    from apps.phones.hashing import email_digest

    identifier_verified.send(
        sender=type(email_address), person=email_address.user, kind="email", digest=email_digest(email_address.email)
    )


@receiver(user_logged_in)
def audit_staff_login(sender, request, user, **kwargs):
    if needs_mfa(user):
        audit(actor=user, action=AuditEvent.Action.LOGIN)


@receiver(user_login_failed)
def audit_failed_staff_login(sender, credentials, request=None, **kwargs):
    """A failed login on a staff, HR or union account: someone may be guessing their way into dashboards,
    which officers want to see. A member's failed login is their own business (axes throttles it), and an
    address with no account leaves no trace. The account is named by id; the address typed is never kept."""
    from apps.phones.normalise import normalise_email

    login = credentials.get("email") or credentials.get("username") or credentials.get("login")
    account = User.objects.filter(email=normalise_email(login)).first() if isinstance(login, str) else None
    if account is not None and needs_mfa(account):
        audit(actor=None, action=AuditEvent.Action.LOGIN_FAILED, target=f"user #{account.pk}")


@receiver(user_locked_out)
def audit_lockout(sender, request, username, ip_address, **kwargs):
    # `username` is already the keyed hash (AXES_USERNAME_CALLABLE); keep only a short prefix of it.
    audit(actor=None, action=AuditEvent.Action.LOCKOUT, target=f"account {str(username)[:12]}…")


@receiver(pre_save, sender=User)
def remember_staff_flag(sender, instance, **kwargs):
    instance._was_staff = (
        User.objects.filter(pk=instance.pk).values_list("is_staff", flat=True).first() if instance.pk else False
    )


@receiver(post_save, sender=User)
def audit_officer_role(sender, instance, created, **kwargs):
    was = getattr(instance, "_was_staff", False)
    if bool(was) != instance.is_staff:
        action = AuditEvent.Action.ROLE_GRANTED if instance.is_staff else AuditEvent.Action.ROLE_REVOKED
        audit(actor=None, action=action, target=f"user #{instance.pk}", role="officer")


@receiver(post_save, sender=Membership)
def audit_hr_role(sender, instance, created, update_fields=None, **kwargs):
    changed = created or bool(update_fields and {"role", "status"} & set(update_fields))
    if changed and instance.role == Membership.Role.HR and instance.status == Membership.Status.ACTIVE:
        audit(
            actor=None,
            action=AuditEvent.Action.ROLE_GRANTED,
            target=f"user #{instance.person_id}",
            organisation=instance.organisation,
            role="hr",
        )


@receiver(post_delete, sender=Membership)
def audit_hr_role_removed(sender, instance, **kwargs):
    if instance.role == Membership.Role.HR:
        audit(
            actor=None,
            action=AuditEvent.Action.ROLE_REVOKED,
            target=f"user #{instance.person_id}",
            organisation_id=instance.organisation_id,
            role="hr",
        )


@receiver(m2m_changed, sender=UnionMandate.organisations.through)
def audit_union_mandate(sender, instance, action, pk_set, **kwargs):
    if action in ("post_add", "post_remove") and pk_set:
        granted = action == "post_add"
        audit(
            actor=None,
            action=AuditEvent.Action.ROLE_GRANTED if granted else AuditEvent.Action.ROLE_REVOKED,
            target=f"user #{instance.representative_id}",
            role="union",
            union=instance.union.name,
            organisations=sorted(pk_set),
        )
