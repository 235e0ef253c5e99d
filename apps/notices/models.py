"""The outbox: every e-mail BreachWatch sends on its own initiative is a row here before it is a send
(DESIGN §2.4), and each attempt to send it is a row of its history. Also who asked for which alerts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What an outgoing message is; the alert kinds are also what a person subscribes to on /me/."""

    BREACH_MATCH = "breach_match", _("You are in a newly imported breach")
    NEW_NUMBERS = "new_numbers", _("New numbers linked to my breach (digest)")
    SURGE = "surge", _("A surge of contacts begins (HR and union representatives)")
    WEEKLY_DIGEST = "weekly_digest", _("Weekly digest of the organisation (HR and union representatives)")
    NOTICE = "notice", _("Notice")


class OutgoingMessage(models.Model):
    """One e-mail to one address, rendered when queued (in the recipient's language), with its Message-ID fixed
    before the first attempt so that a receiving server can drop a copy sent again after a crash.

    queued → sending (leased to one worker until lease_until) → sent, or back to queued with next_attempt_at
    after a transient error, or failed after a permanent one or OUTBOX_MAX_ATTEMPTS (apps/notices/outbox.py)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    # One row per event and recipient, e.g. "breach_match:breach=3:person=41": a second enqueue does nothing.
    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    recipient = models.EmailField(_("recipient"), max_length=254)
    # The person it is for, when it is someone with an account: erasing the account removes its messages.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=300)
    text_body = models.TextField(_("text"))
    html_body = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("extra headers"), default=dict, blank=True)  # List-Unsubscribe, …
    attachments = models.JSONField(_("attachments"), default=list, blank=True)  # paths in default_storage
    message_id = models.CharField(_("Message-ID"), max_length=200, unique=True, editable=False)

    state = models.CharField(_("state"), max_length=8, choices=State, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    lease_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at"]
        indexes = [
            # The sweeper (outbox.outbox_sweep) reads only unfinished rows by when they are due.
            models.Index(
                fields=["state", "next_attempt_at"],
                condition=Q(state__in=["queued", "sending"]),
                name="outbox_unfinished",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} ({self.get_state_display()})"


class DeliveryAttempt(models.Model):
    """What happened at one attempt to send a message; rows are only ever added."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("sent")
        RETRY = "retry", _("refused for now, to be retried")
        FAILED = "failed", _("refused for good")
        ABANDONED = "abandoned", _("the worker stopped before it finished")
        REQUEUED = "requeued", _("queued again by an officer")

    message = models.ForeignKey(OutgoingMessage, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(_("when"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_outcome_display()} at {self.at:%Y-%m-%d %H:%M:%S}"


class AlertOptOut(models.Model):
    """A person who does not want one kind of alert. Absence means they get it (every alert they may receive is
    on by default); set on /me/ or by an e-mail's one-click unsubscribe link."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_opt_outs")
    kind = models.CharField(_("alert"), max_length=20, choices=Kind)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("alert turned off")
        verbose_name_plural = _("alerts turned off")
        constraints = [models.UniqueConstraint(fields=["person", "kind"], name="one_opt_out_per_kind")]

    def __str__(self):
        return f"{self.person_id} without {self.kind}"
