from celery import shared_task

from apps.accounts.services.invitations import invitation_deliver, invitations_send


@shared_task(name="accounts.send_invitations", acks_late=True, ignore_result=True)
def send_invitations(batch_id: int) -> None:
    """Send a batch's pending invitations; a retry after a crash sends only those still pending."""
    invitations_send(batch_id=batch_id)


@shared_task(name="accounts.send_invitation", acks_late=True, ignore_result=True)
def send_invitation(invitation_id: int) -> None:
    """Send one invitation again (HR's "Send again"); a retry after it went out sends nothing."""
    invitation_deliver(invitation_id=invitation_id)
