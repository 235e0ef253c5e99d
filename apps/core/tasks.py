import socket
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from apps.core.models import WorkerHeartbeat


@shared_task(name="core.record_heartbeat", ignore_result=True)
def record_heartbeat(hostname: str | None = None) -> str:
    """Record that a worker is alive; run every minute by beat."""
    hostname = hostname or record_heartbeat.request.hostname or socket.gethostname()
    WorkerHeartbeat.objects.update_or_create(hostname=hostname, defaults={"seen_at": timezone.now()})
    return hostname


@shared_task(name="core.prune_heartbeats", ignore_result=True)
def prune_heartbeats(days: int = 7) -> int:
    """Forget workers that have been silent for `days` (renamed or retired containers)."""
    deleted, _ = WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - timedelta(days=days)).delete()
    return deleted
