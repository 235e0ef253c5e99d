"""The outbox's state machine on the embedded default (SQLite, eager tasks, memory mail, a hand-moved clock):
each message goes once per key, keeps its Message-ID through retries, backs off, gives up, and comes back
after a worker dies mid-send."""

import smtplib

import pytest
from django.core import mail

from apps.notices import outbox
from apps.notices.models import DeliveryAttempt, OutgoingMessage
from tests.notices.conftest import try_again_later

pytestmark = pytest.mark.django_db
State = OutgoingMessage.State


def queue(key="breach_match:breach=1:person=1", to="anna@example.org", **fields):
    fields = {"language": "it", "subject": "Oggetto", "text": "Testo", "html": "<p>Testo</p>", **fields}
    return outbox.enqueue(kind="breach_match", key=key, to=to, **fields)


def outcomes(message) -> list[str]:
    return list(message.history.values_list("outcome", flat=True))


def test_an_enqueued_message_is_sent_after_the_commit_with_its_fixed_message_id(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue(headers={"List-Unsubscribe": "<https://example.org/u/x/>"})
        assert mail.outbox == []  # not before the commit

    message.refresh_from_db()
    assert message.state == State.SENT and message.sent_at is not None
    (sent,) = mail.outbox
    assert sent.to == ["anna@example.org"]
    assert sent.extra_headers["Message-ID"] == message.message_id
    assert sent.message()["Message-ID"] == message.message_id
    assert sent.message()["List-Unsubscribe"] == "<https://example.org/u/x/>"
    assert sent.alternatives[0].content == "<p>Testo</p>"
    assert message.message_id.endswith("@127.0.0.1>")  # the site's host, not the machine's name
    assert outcomes(message) == ["sent"]


def test_the_same_event_for_the_same_recipient_is_queued_and_sent_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue()
        second = queue(subject="Another rendering of the same event")
        other = queue(key="breach_match:breach=1:person=2", to="bruno@example.org")

    assert first is not None and second is None and other is not None
    assert OutgoingMessage.objects.count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.org", "bruno@example.org"]


def test_a_message_is_claimed_by_one_worker_only_until_its_lease_ends(clock, settings):
    settings.OUTBOX_LEASE_SECONDS = 120
    message = queue()

    assert outbox.claim(message.pk)
    clock.advance(seconds=119)
    assert not outbox.claim(message.pk)  # another worker: still leased
    clock.advance(seconds=2)
    assert outbox.claim(message.pk)  # the first worker died: lease over
    message.refresh_from_db()
    assert (message.state, message.attempts) == (State.SENDING, 2)


def test_a_sent_message_is_never_sent_again(clock):
    message = queue()
    assert outbox.deliver(message.pk) == "sent"

    clock.advance(days=1)

    assert outbox.deliver(message.pk) is None
    clock.advance(days=1)
    assert outbox.outbox_sweep() == 0
    assert len(mail.outbox) == 1


def test_a_refusal_for_now_is_retried_with_doubling_waits_and_the_same_message_id(clock, refusing_mail, settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    settings.OUTBOX_MAX_ATTEMPTS = 5
    refusing_mail.extend([try_again_later(), smtplib.SMTPServerDisconnected("gone"), ConnectionRefusedError()])
    message = queue()
    started = clock.now

    assert outbox.deliver(message.pk) == "retry"
    message.refresh_from_db()
    assert message.state == State.QUEUED and "451" in message.last_error
    assert (message.next_attempt_at - started).total_seconds() == 60
    clock.advance(seconds=59)
    assert outbox.deliver(message.pk) is None  # not due yet

    waits = []
    for _ in range(2):
        message.refresh_from_db()
        clock.now = message.next_attempt_at
        assert outbox.deliver(message.pk) == "retry"
        message.refresh_from_db()
        waits.append((message.next_attempt_at - clock.now).total_seconds())
    assert waits == [120, 240]

    clock.now = message.next_attempt_at
    assert outbox.deliver(message.pk) == "sent"
    message.refresh_from_db()
    assert (message.state, message.attempts, message.last_error) == (State.SENT, 4, "")
    assert outcomes(message) == ["retry", "retry", "retry", "sent"]
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [message.message_id]


def test_after_the_last_allowed_attempt_the_message_fails_with_its_reason(clock, refusing_mail, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    refusing_mail.extend([try_again_later() for _ in range(5)])
    message = queue()

    for _ in range(3):
        outbox.deliver(message.pk)
        message.refresh_from_db()
        clock.now = message.next_attempt_at
    assert message.state == State.FAILED
    assert "Try again later" in message.last_error
    assert outcomes(message) == ["retry", "retry", "failed"]
    clock.advance(days=1)
    assert outbox.outbox_sweep() == 0  # failed stays failed until an officer acts


def test_a_permanent_refusal_fails_at_once(clock, refusing_mail):
    refusing_mail.append(smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"5.1.1 No such user")}))
    message = queue()

    assert outbox.deliver(message.pk) == "failed"
    message.refresh_from_db()
    assert message.state == State.FAILED and message.attempts == 1 and "No such user" in message.last_error


def test_an_officer_retry_sends_a_failed_message_with_its_message_id(refusing_mail, django_capture_on_commit_callbacks):
    refusing_mail.append(smtplib.SMTPDataError(554, b"Rejected"))
    message = queue()
    outbox.deliver(message.pk)

    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.outbox_retry(message=message)
        assert not outbox.outbox_retry(message=message)  # a second click does nothing
    message.refresh_from_db()
    assert message.state == State.SENT
    assert outcomes(message) == ["failed", "requeued", "sent"]
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [message.message_id]


def test_the_sweeper_requeues_a_message_whose_worker_died_and_it_goes_once(
    clock, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_LEASE_SECONDS = 120
    message = queue()
    assert outbox.claim(message.pk)  # … and the worker is killed before it sends

    clock.advance(seconds=60)

    assert outbox.outbox_sweep() == 0  # lease still running: left alone
    with django_capture_on_commit_callbacks(execute=True):
        clock.advance(seconds=61)
        assert outbox.outbox_sweep() == 1
    message.refresh_from_db()
    assert message.state == State.SENT and message.attempts == 2
    assert outcomes(message) == ["abandoned", "sent"]
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [message.message_id]


def test_the_sweeper_sends_a_due_message_whose_task_was_lost_once_per_lease(clock, settings):
    settings.OUTBOX_LEASE_SECONDS = 120
    message = queue()
    message.refresh_from_db()
    clock.now = message.next_attempt_at

    clock.advance(seconds=100)

    assert outbox.outbox_sweep() == 0  # its task may still be in the queue
    clock.advance(seconds=30)
    assert outbox.outbox_sweep() == 1  # queued longer than a lease: lost
    clock.advance(seconds=30)
    assert outbox.outbox_sweep() == 0  # dispatched again: not at every sweep


def test_a_message_that_kills_its_worker_every_time_fails_after_the_last_attempt(clock, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    message = queue()
    for _ in range(2):
        message.refresh_from_db()
        clock.now = max(clock.now, message.next_attempt_at)
        assert outbox.claim(message.pk)
        clock.advance(seconds=settings.OUTBOX_LEASE_SECONDS + 1)
        outbox.outbox_sweep()

    message.refresh_from_db()
    assert message.state == State.FAILED
    assert DeliveryAttempt.objects.filter(message=message, outcome="abandoned").count() == 2
