"""The outbox's state machine: enqueue a message (once per idempotency key), claim it with a lease, send it,
record each attempt, retry transient refusals with exponential backoff, and sweep up what a dead worker left.

Every step is one conditional UPDATE, so two workers (or a worker and the sweeper) can never both send a row:
on PostgreSQL the second UPDATE waits for the first's row lock and then re-reads the row, finds the condition
false and changes nothing; SQLite runs one write at a time. A worker killed between claiming and marking
leaves the row `sending` until its lease ends; the sweeper then queues it again and the next attempt carries
the same Message-ID. So a message can at worst be delivered twice with one Message-ID (the mail server
accepted it, then the worker died before marking it), which receiving servers de-duplicate; never lost.
"""

import mimetypes
import smtplib
from datetime import datetime, timedelta
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from apps.notices.models import DeliveryAttempt, OutgoingMessage

State = OutgoingMessage.State
Outcome = DeliveryAttempt.Outcome


def clock() -> datetime:
    """The outbox's time (the tests move a fake one)."""
    return timezone.now()


def enqueue(
    *,
    kind: str,
    key: str,
    to: str,
    language: str,
    subject: str,
    text: str,
    html: str = "",
    person=None,
    headers: dict[str, str] | None = None,
    attachments: list[str] | tuple[str, ...] = (),
) -> OutgoingMessage | None:
    """Write the message as a queued row and send it once the transaction commits. Returns the new row, or
    None when a message with this key already exists (the same event for the same recipient: nothing done)."""
    message, created = OutgoingMessage.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "recipient": to,
            "person": person,
            "language": language,
            "subject": subject[:300],
            "text_body": text,
            "html_body": html,
            "headers": headers or {},
            "attachments": list(attachments),
            "message_id": make_msgid(domain=_message_id_domain()),
            "created_at": clock(),
            "next_attempt_at": clock(),
        },
    )
    if not created:
        return None
    transaction.on_commit(lambda: dispatch(message.pk))
    return message


def dispatch(message_id: int, *, countdown: float | None = None) -> None:
    """Ask a worker to deliver the row (eagerly in the embedded default)."""
    from apps.notices.tasks import deliver

    deliver.apply_async(args=[message_id], countdown=countdown, queue=settings.OUTBOX_QUEUE)


def claim(message_id: int) -> bool:
    """Take the row for one attempt, for OUTBOX_LEASE_SECONDS: only when it is queued and due, or its last
    lease ran out (its worker died). True when this caller holds it now."""
    now = clock()
    return bool(
        OutgoingMessage.objects.filter(pk=message_id)
        .filter(Q(state=State.QUEUED, next_attempt_at__lte=now) | Q(state=State.SENDING, lease_until__lt=now))
        .update(
            state=State.SENDING,
            lease_until=now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS),
            attempts=F("attempts") + 1,
        )
    )


def deliver(message_id: int) -> str | None:
    """Claim, send and record one message. Returns the attempt's outcome, or None when the row was not ours
    to send (already sent, failed, not due, or another worker holds it)."""
    if not claim(message_id):
        return None
    message = OutgoingMessage.objects.get(pk=message_id)
    try:
        _email_of(message).send()
    except (smtplib.SMTPException, OSError) as error:  # OSError: refused connection, timeout, DNS
        return _record_refusal(message, error, permanent=_is_permanent(error))
    except Exception as error:  # a missing attachment, a bad header: sending again would not help
        return _record_refusal(message, error, permanent=True)
    sent_at = clock()
    with transaction.atomic():
        # Sent is sent: even when the lease ran out meanwhile and the sweeper queued the row again, no second copy.
        OutgoingMessage.objects.filter(pk=message.pk, state__in=[State.SENDING, State.QUEUED]).update(
            state=State.SENT, sent_at=sent_at, lease_until=None, last_error=""
        )
        DeliveryAttempt.objects.create(message=message, at=sent_at, outcome=Outcome.SENT)
    return Outcome.SENT


def backoff_seconds(attempts: int) -> float:
    """Wait before the next attempt after `attempts` failed ones: OUTBOX_RETRY_BASE_SECONDS doubled each time,
    capped at six hours (1, 2, 4 … minutes with the default base of one minute)."""
    return min(settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** (attempts - 1), 6 * 3600)


def _record_refusal(message: OutgoingMessage, error: Exception, *, permanent: bool) -> str:
    now = clock()
    text = f"{type(error).__name__}: {error}"[:2000]
    give_up = permanent or message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
    delay = backoff_seconds(message.attempts)
    with transaction.atomic():
        still_ours = OutgoingMessage.objects.filter(pk=message.pk, state=State.SENDING)
        if give_up:
            still_ours.update(state=State.FAILED, lease_until=None, last_error=text)
        else:
            still_ours.update(
                state=State.QUEUED, lease_until=None, last_error=text, next_attempt_at=now + timedelta(seconds=delay)
            )
        outcome = Outcome.FAILED if give_up else Outcome.RETRY
        DeliveryAttempt.objects.create(message=message, at=now, outcome=outcome, error=text)
    if not give_up:
        transaction.on_commit(lambda: dispatch(message.pk, countdown=delay))
    return outcome


def _is_permanent(error: Exception) -> bool:
    """A 5xx reply (unknown mailbox, message refused) will not change by waiting; 4xx and lost connections may."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def outbox_sweep() -> int:
    """Queue again the rows whose worker died (lease over) and send every row that is due but that no task is
    known to carry (queued for longer than a lease: its task was lost with a worker, or the broker lost it).
    Returns how many rows were dispatched. Runs from beat every minute (breachwatch/celery.py)."""
    now = clock()
    lease = timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    dispatched = []
    for pk, attempts in OutgoingMessage.objects.filter(state=State.SENDING, lease_until__lt=now).values_list(
        "pk", "attempts"
    ):
        give_up = attempts >= settings.OUTBOX_MAX_ATTEMPTS  # a message that kills its worker every time
        with transaction.atomic():
            taken = OutgoingMessage.objects.filter(pk=pk, state=State.SENDING, lease_until__lt=now).update(
                state=State.FAILED if give_up else State.QUEUED, lease_until=None, next_attempt_at=now
            )
            if taken:
                DeliveryAttempt.objects.create(message_id=pk, at=now, outcome=Outcome.ABANDONED)
        if taken and not give_up:
            dispatched.append(pk)
    # Bumping next_attempt_at marks the row as dispatched, so a backlog longer than a lease is sent again at
    # most once a lease, not at every sweep.
    overdue = OutgoingMessage.objects.filter(state=State.QUEUED, next_attempt_at__lte=now - lease)
    for pk in overdue.values_list("pk", flat=True):
        if OutgoingMessage.objects.filter(pk=pk, state=State.QUEUED, next_attempt_at__lte=now - lease).update(
            next_attempt_at=now
        ):
            dispatched.append(pk)
    for pk in dispatched:
        transaction.on_commit(lambda pk=pk: dispatch(pk))
    return len(dispatched)


def outbox_retry(*, message: OutgoingMessage) -> bool:
    """An officer sends a failed message again (same Message-ID, attempts counted afresh). False when it was not
    failed (already retried by someone else, or sent)."""
    now = clock()
    with transaction.atomic():
        again = OutgoingMessage.objects.filter(pk=message.pk, state=State.FAILED).update(
            state=State.QUEUED, attempts=0, next_attempt_at=now, last_error=""
        )
        if again:
            DeliveryAttempt.objects.create(message=message, at=now, outcome=Outcome.REQUEUED)
            transaction.on_commit(lambda: dispatch(message.pk))
    return bool(again)


def _email_of(message: OutgoingMessage) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        message.subject,
        message.text_body,
        None,
        [message.recipient],
        headers={**message.headers, "Message-ID": message.message_id},
    )
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    for path in message.attachments:
        with default_storage.open(path, "rb") as file:
            content = file.read()
        name = PurePosixPath(path).name
        email.attach(name, content, mimetypes.guess_type(name)[0] or "application/octet-stream")
    return email


def _message_id_domain() -> str:
    """The site's own host name: Message-IDs unique to BreachWatch, and no internal machine name in them."""
    return urlsplit(settings.SITE_URL).hostname or "breachwatch.invalid"
