from celery import shared_task
from django.contrib.auth import get_user_model

from apps.reports.services import reporter_reweigh


@shared_task(name="reports.reweigh_reporter", acks_late=True, ignore_result=True)
def reweigh_reporter(person_id: int) -> int:
    """Full weight for a person's earlier reports once they are verified or linked to a breach."""
    person = get_user_model().objects.filter(pk=person_id).first()
    return reporter_reweigh(person=person) if person else 0
