"""The Celery app and the one beat schedule: every periodic job of BreachWatch is listed here."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "breachwatch.settings")

app = Celery("breachwatch")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Queues keep slow work apart from urgent work: a big import never delays a notice (DESIGN §8).
app.conf.task_routes = {
    "breaches.import_dataset": {"queue": "imports"},  # matching and mails must not wait behind an import
    "insights.*": {"queue": "analytics"},
    "notices.*": {"queue": "sending"},
    "accounts.*": {"queue": "sending"},
}

app.conf.beat_schedule = {
    # Lets /healthz tell whether any worker is alive, not just whether the broker answers.
    "worker-heartbeat": {
        "task": "core.record_heartbeat",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Statistics: queued changes are applied after each commit; this catches a lost kick within a minute.
    "insights-update": {
        "task": "insights.update_rollups",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # A full rebuild proves nothing drifted (it gives the same tables) and repairs it if anything did.
    "insights-rebuild": {
        "task": "insights.rebuild_rollups",
        "schedule": crontab(hour=3, minute=40),
    },
    # The evidence linking each breach to its surge, after the rollups' rebuild (pages read the stored result).
    "insights-breach-evidence": {
        "task": "insights.breach_evidence_compute_all",
        "schedule": crontab(hour=4, minute=20),
    },
    # The outbox: messages whose worker died (lease over) or whose task was lost are sent again (same Message-ID).
    "notices-sweep-outbox": {
        "task": "notices.sweep_outbox",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "prune-heartbeats": {
        "task": "core.prune_heartbeats",
        "schedule": crontab(hour=3, minute=17),
    },
}
