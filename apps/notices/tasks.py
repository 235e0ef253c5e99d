"""Celery tasks of the outbox: thin, they take ids and call apps/notices/outbox.py."""

from celery import shared_task

from apps.notices import outbox


@shared_task(name="notices.deliver", acks_late=True, ignore_result=True)
def deliver(message_id: int) -> str | None:
    """Send one outgoing message if it is still due; its retries and the lease are the row's, not Celery's."""
    return outbox.deliver(message_id)


@shared_task(name="notices.sweep_outbox", ignore_result=True)
def sweep_outbox() -> int:
    """Requeue what dead workers left and send what is due (beat, every minute)."""
    return outbox.outbox_sweep()
