"""Reachability checks behind /healthz; each returns a small JSON-ready dict with an "ok" flag."""

from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from kombu import Connection

from apps.core.models import WorkerHeartbeat

# Beat sends a heartbeat every minute: one missed (a worker that lost the broker) shows within 90 s.
WORKER_SILENT_AFTER = timedelta(seconds=90)


def database_status() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"ok": False, "engine": connection.vendor, "error": exc.__class__.__name__}
    return {"ok": True, "engine": connection.vendor}


def broker_status() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "mode": "eager"}
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # kombu raises transport-specific errors; any of them means unreachable
        return {"ok": False, "mode": "broker", "error": exc.__class__.__name__}
    return {"ok": True, "mode": "broker"}


def worker_status() -> dict:
    """Informational: when a worker last ran the heartbeat. Not part of overall health (beat may be off)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"mode": "eager"}
    try:
        last = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    except DatabaseError:
        return {"last_seen": None, "alive": False}
    alive = bool(last and timezone.now() - last < WORKER_SILENT_AFTER)
    return {"last_seen": last.isoformat() if last else None, "alive": alive}


def overall_status() -> dict:
    database, broker = database_status(), broker_status()
    return {
        "ok": database["ok"] and broker["ok"],
        "database": database,
        "broker": broker,
        "worker": worker_status() if database["ok"] else {"alive": False},
    }
