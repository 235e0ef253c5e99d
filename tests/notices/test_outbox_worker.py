"""The outbox in the production shape (CI's PostgreSQL + Redis pass): real Celery workers, a real SMTP server
on 127.0.0.1. 200 alerts are queued; a worker is SIGKILLed in the middle of a send and another takes over;
or the server refuses (451) for a while. Exactly the 200 Message-IDs arrive, once each, and no row is left
unsent. Each test stops by itself within its deadline."""

import os
import signal
import time
import uuid

import pytest
from django.db import transaction

from apps.notices import outbox
from apps.notices.models import DeliveryAttempt, OutgoingMessage
from apps.notices.tasks import sweep_outbox
from tests.celery_worker import celery_worker
from tests.smtp_server import LocalSmtpServer

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
ALERTS = 200
DEADLINE = 120  # seconds: the whole batch normally goes in about 10


def worker_env(smtp: LocalSmtpServer, queue: str) -> dict[str, str]:
    """Short lease and backoff so that recovery is quick, and the worker's own dispatches (retries, sweeps) on
    the test's queue."""
    return {
        **smtp.mail_env(),
        "OUTBOX_LEASE_SECONDS": "3",
        "OUTBOX_RETRY_BASE_SECONDS": "0.5",
        "OUTBOX_QUEUE": queue,
    }


def queue_alerts(settings, queue: str) -> list[str]:
    settings.OUTBOX_QUEUE = queue  # enqueue() dispatches to the test's own worker
    with transaction.atomic():
        for n in range(ALERTS):
            outbox.enqueue(
                kind="breach_match", key=f"test:{n}", to=f"person{n}@example.org", language="it",
                subject=f"Avviso {n}", text="Testo", html="<p>Testo</p>",
            )  # fmt: skip
    return list(OutgoingMessage.objects.values_list("message_id", flat=True))


def states() -> dict:
    """{state: rows}, and the errors of the unsent rows: what a failure message should show."""
    from django.db.models import Count

    rows = OutgoingMessage.objects.values("state").annotate(n=Count("id"))
    unsent = OutgoingMessage.objects.exclude(state=OutgoingMessage.State.SENT)
    errors = set(unsent.values_list("last_error", flat=True)[:5])
    return {"states": {r["state"]: r["n"] for r in rows}, "errors": errors}


def run_until_all_sent(worker, *, deadline: float) -> bool:
    """Let the worker work, asking it to sweep every second as beat would every minute."""
    while time.monotonic() < deadline:
        if not OutgoingMessage.objects.exclude(state=OutgoingMessage.State.SENT).exists():
            return True
        assert worker.poll() is None, f"worker exited early:\n{worker.stdout.read()}"
        sweep_outbox.apply_async(queue=worker.queue)
        time.sleep(1)
    return False


def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(settings):
    deadline = time.monotonic() + DEADLINE
    with LocalSmtpServer() as smtp:
        queue = f"test-{uuid.uuid4().hex[:12]}"
        env = worker_env(smtp, queue)
        with celery_worker(queue=queue, env=env) as first:
            killed = []

            def kill_mid_send(n: int) -> bool:
                """On the 60th message's DATA, SIGKILL the worker that is sending it: that message is not
                accepted and its row stays `sending` under a lease; the worker's prefetched task is lost."""
                if n == 60 and not killed:
                    os.kill(first.pid, signal.SIGKILL)
                    killed.append(n)
                    return False
                return True

            smtp.handler.on_data = kill_mid_send
            message_ids = queue_alerts(settings, first.queue)
            first.wait(timeout=60)
            assert killed and first.returncode == -signal.SIGKILL
        stranded = OutgoingMessage.objects.exclude(state=OutgoingMessage.State.SENT).count()
        assert 0 < smtp.handler.accepted < ALERTS and stranded == ALERTS - smtp.handler.accepted

        with celery_worker(queue=first.queue, env=env) as second:
            assert run_until_all_sent(second, deadline=deadline), "not every alert was sent in time"

        assert sorted(smtp.handler.message_ids) == sorted(message_ids)  # each exactly once, none missing
    assert DeliveryAttempt.objects.filter(outcome="abandoned").count() == 1  # the killed send, swept up
    assert OutgoingMessage.objects.filter(state="sent").count() == ALERTS


@pytest.mark.xfail(
    strict=True,
    reason="Known defect (issue 12, open): on a real worker, rows refused with 451 and queued for a retry are "
    "not all sent again within the deadline (e.g. 120 sent, 80 left queued with next attempts due); a strict "
    "xfail so the suite says so on every run and turns red the day it is fixed without this mark being removed",
)
def test_a_server_that_refuses_for_a_while_then_accepts_gets_every_alert_once(settings):
    deadline = time.monotonic() + DEADLINE
    with LocalSmtpServer() as smtp:
        smtp.handler.refuse_for = 3  # from the first message on
        queue = f"test-{uuid.uuid4().hex[:12]}"
        with celery_worker(queue=queue, env=worker_env(smtp, queue)) as worker:
            message_ids = queue_alerts(settings, worker.queue)
            assert run_until_all_sent(worker, deadline=deadline), f"not every alert was sent in time: {states()}"

        assert smtp.handler.refused > 0
        assert sorted(smtp.handler.message_ids) == sorted(message_ids)
    assert DeliveryAttempt.objects.filter(outcome="retry").exists()
    assert not DeliveryAttempt.objects.filter(outcome="failed").exists()
