from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from apps.phones.fields import EncryptedTextField
from apps.phones.normalise import normalise_email


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(**{self.model.USERNAME_FIELD: normalise_email(username)})

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=normalise_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with a login. The e-mail is the login and the only place an affected person's address is kept
    in clear (Django needs it to send mail); every other identifier lives hashed and encrypted elsewhere.
    Case officers are staff users."""

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("name shown on the site"), max_length=100, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, blank=True, help_text=_("Used for e-mails and alerts.")
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Raised to end every other session of the account at once (on enrolling a second factor): it is part of
    # the hash each session is checked against (_get_session_auth_hash below).
    session_epoch = models.PositiveIntegerField(default=0, editable=False)
    # The first day from which the person reports every unwanted contact: where their observation window for
    # the linkage statistics starts (apps/insights/linkage/gather.py). Empty means the day they signed up; a
    # call log moves it back to its first day, and the person may set it on /me/
    # (apps/accounts/services/reporting.py says how far).
    reporting_since = models.DateField(_("reporting every contact since"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or f"#{self.pk}"

    def clean(self):
        super().clean()
        self.email = normalise_email(self.email)

    @property
    def observed_since(self):
        """The first day of the person's observation window: reporting_since, else the local day they signed up."""
        return self.reporting_since or timezone.localdate(self.date_joined)

    def _get_session_auth_hash(self, secret=None):
        # Django checks every request's session against an HMAC of the password hash, so a new password ends
        # the other sessions; the epoch lets other events do the same. At 0 the hash is Django's own, so
        # adding the field logged nobody out.
        if not self.session_epoch:
            return super()._get_session_auth_hash(secret=secret)
        key_salt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
        value = f"{self.password}:{self.session_epoch}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()


class Union(models.Model):
    """A trade union whose representatives watch the dashboards of the organisations it covers.
    Which people belong to a union is never recorded (GDPR art. 9): only who represents it."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("union")
        verbose_name_plural = _("unions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class MembershipQuerySet(models.QuerySet):
    def active(self):
        """Memberships in force (not a pending request to join)."""
        return self.filter(status=Membership.Status.ACTIVE)

    def hr(self):
        """Active memberships that carry the HR role."""
        return self.active().filter(role=Membership.Role.HR)


class Membership(models.Model):
    """A person's link to an organisation: an employee (member) or its HR."""

    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        HR = "hr", _("HR")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("asked to join")
        ACTIVE = "active", _("active")

    class Source(models.TextChoices):
        INVITATION = "invitation", _("invitation")
        REQUEST = "request", _("request approved by HR")
        OFFICER = "officer", _("added by a case officer")

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey("breaches.Organisation", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.MEMBER)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ACTIVE)
    source = models.CharField(_("how they joined"), max_length=12, choices=Source, default=Source.OFFICER)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")
        constraints = [models.UniqueConstraint(fields=["person", "organisation"], name="one_membership_per_org")]

    def __str__(self):
        return f"{self.person_id} @ {self.organisation} ({self.role}, {self.status})"


class UnionMandate(models.Model):
    """A union representative and the organisations they cover for that union."""

    representative = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mandates")
    union = models.ForeignKey(Union, on_delete=models.CASCADE, related_name="mandates")
    organisations = models.ManyToManyField("breaches.Organisation", related_name="union_mandates")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("union mandate")
        verbose_name_plural = _("union mandates")
        constraints = [models.UniqueConstraint(fields=["representative", "union"], name="one_mandate_per_union")]

    def __str__(self):
        return f"{self.representative_id} for {self.union}"


class PersonalPhone(models.Model):
    """A phone number a person says is theirs: a keyed hash to match and an encrypted copy to show them.
    It counts for matching only once verified by a one-time code."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="phones")
    digest = models.BinaryField(max_length=32, editable=False)
    number = EncryptedTextField(context="phone")
    label = models.CharField(_("label"), max_length=40, blank=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("personal phone")
        verbose_name_plural = _("personal phones")
        constraints = [
            models.UniqueConstraint(fields=["person", "digest"], name="phone_once_per_person"),
            # A number belongs to one verified account at most (phones.services.phone_verify checks first).
            models.UniqueConstraint(
                fields=["digest"], condition=Q(verified_at__isnull=False), name="phone_verified_once"
            ),
        ]

    def __str__(self):
        return f"phone #{self.pk} of {self.person_id}"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class PhoneCode(models.Model):
    """A one-time code sent by SMS. Kept after use (by the number's hash, not the phone row) so the daily
    limits survive a person deleting and re-adding the number."""

    phone = models.ForeignKey(PersonalPhone, on_delete=models.SET_NULL, null=True, related_name="codes")
    digest = models.BinaryField(max_length=32, editable=False)
    # Who asked and from where, for the daily limits per (number, account), per account and per IP. The IP
    # is kept as a keyed hash only: it is compared, never shown.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="phone_codes"
    )
    ip_digest = models.BinaryField(max_length=32, editable=False, null=True)
    code_digest = models.BinaryField(max_length=32, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [  # the daily limits (apps/accounts/services/phones.py)
            models.Index(fields=["digest", "created_at"], name="phonecode_daily_limit"),
            models.Index(fields=["ip_digest", "created_at"], name="phonecode_ip_daily_limit"),
        ]

    def __str__(self):
        return f"code #{self.pk} for phone #{self.phone_id}"


class InvitationBatch(models.Model):
    """One CSV upload by HR; a Celery task sends its invitations and reports progress here."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    organisation = models.ForeignKey(
        "breaches.Organisation", on_delete=models.CASCADE, related_name="invitation_batches"
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    skipped_rows = models.JSONField(default=list, help_text=_("Line numbers and reasons, never addresses."))
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation batch")
        verbose_name_plural = _("invitation batches")
        ordering = ["-created_at"]

    def __str__(self):
        return f"invitations #{self.pk} for {self.organisation}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * (self.sent + self.failed) / self.total)


class Invitation(models.Model):
    """An invitation to join an organisation, addressed by e-mail (kept hashed and encrypted)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        ACCEPTED = "accepted", _("accepted")
        FAILED = "failed", _("could not be sent")

    organisation = models.ForeignKey("breaches.Organisation", on_delete=models.CASCADE, related_name="invitations")
    batch = models.ForeignKey(InvitationBatch, on_delete=models.CASCADE, related_name="invitations")
    email_digest = models.BinaryField(max_length=32, editable=False)
    email = EncryptedTextField(context="email", null=True)  # erased once accepted: no longer needed
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)
    # In the link's signed token: a resend increments it, so the link of an earlier e-mail stops working.
    token_version = models.PositiveIntegerField(default=0, editable=False)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "email_digest"], name="one_invitation_per_address")
        ]

    def __str__(self):
        return f"invitation #{self.pk} to {self.organisation}"


class AuditEvent(models.Model):
    """What staff did and what happened to accounts, for officers. Holds ids and labels, never a phone number
    or an e-mail address."""

    class Action(models.TextChoices):
        LOGIN = "login", _("logged in")
        LOGIN_FAILED = "login_failed", _("failed login")
        LOCKOUT = "lockout", _("locked out")
        ROLE_GRANTED = "role_granted", _("role granted")
        ROLE_REVOKED = "role_revoked", _("role revoked")
        VIEWED = "viewed", _("viewed")
        EXPORTED = "exported", _("exported")
        INVITATIONS_UPLOADED = "invitations_uploaded", _("uploaded invitations")
        INVITATION_RESENT = "invitation_resent", _("sent an invitation again")
        JOIN_DECIDED = "join_decided", _("decided a request to join")
        DATA_EXPORTED = "data_exported", _("downloaded their own data")
        ACCOUNT_ERASED = "account_erased", _("erased their account")
        BREACH_SAVED = "breach_saved", _("registered or edited a breach")
        DATASET_IMPORTED = "dataset_imported", _("started a dataset import")
        MODERATED = "moderated", _("moderated a report, number or dispute")
        BRAND_SAVED = "brand_saved", _("added to or edited the brand list")
        DECLARATION_REVIEWED = "declaration_reviewed", _("reviewed a declared breach membership")
        EVIDENCE_RECOMPUTED = "evidence_recomputed", _("recomputed a breach's evidence")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("who")
    )
    action = models.CharField(_("action"), max_length=24, choices=Action)
    target = models.CharField(_("what"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "breaches.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.target_display}"

    @property
    def target_display(self) -> str:
        """What the event was about, in the active language ("violazione inps-…", "utente n. 12")."""
        from apps.accounts.audit import target_label

        return target_label(self.target)


def user_display(user) -> str:
    """How allauth's pages and mails name a person: the name they chose, else their login address."""
    return user.display_name or user.email
