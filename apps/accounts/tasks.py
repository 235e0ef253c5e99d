from celery import shared_task

from apps.accounts.services.invitations import invitations_send


@shared_task(name="accounts.send_invitations", acks_late=True, ignore_result=True)
def send_invitations(batch_id: int) -> None:
    """Send a batch's pending invitations; a retry after a crash sends only those still pending."""
    invitations_send(batch_id=batch_id)
