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


@shared_task(name="accounts.send_login_link", ignore_result=True)
def send_login_link(user_id: int | None, token: str | None) -> None:
    """The e-mailed link past the failed-login ceiling; queued for every attempt, it sends only when the
    password was right (user_id set), so queueing it tells nothing."""
    from apps.accounts.login_link import send_link

    send_link(user_id=user_id, token=token)
