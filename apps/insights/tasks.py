"""Rollup tasks: thin wrappers; the work is in rollups.py and rebuild.py."""

import logging
import time

from celery import shared_task
from django.core.cache import cache

from apps.insights.rebuild import rollups_rebuild
from apps.insights.rollups import RollupDrift, rollups_update

logger = logging.getLogger(__name__)
QUEUED = "insights:update-queued"


@shared_task(name="insights.update_rollups", acks_late=True, ignore_result=True)
def update_rollups() -> int:
    """Apply the queued changes (after each report, and every minute by beat in case a kick was lost)."""
    cache.delete(QUEUED)  # changes committed from now on enqueue a new run
    try:
        return rollups_update()
    except RollupDrift:
        logger.exception("The rollups drifted from the queue; rebuilding them")
        rollups_rebuild()
        return 0


@shared_task(name="insights.rebuild_rollups", acks_late=True, ignore_result=True)
def rebuild_rollups() -> dict:
    """Recompute every rollup from the reports (nightly, and `manage.py rebuild_insights`)."""
    return rollups_rebuild()


# A process asks Redis whether a run is queued at most this often (seconds): under load, a Redis client and a
# round trip per report, for a flag that is nearly always set, were about 5% of POST /api/v1/reports/
# (bench/report_api_load.py).
KICK_INTERVAL = 1.0
_last_kick = float("-inf")  # time.monotonic() of this process's last look at the flag


def update_rollups_soon() -> None:
    """Run the update once the current transaction has committed: inline on the embedded default, else
    one queued task at a time, however many reports arrive meanwhile.

    A change committed within KICK_INTERVAL of the process's last look is applied by the run that look found
    or queued; if that run had already started, by the next kick from any process or by the beat's run
    within a minute (breachwatch/celery.py). The change itself is queued in its transaction either way.
    """
    global _last_kick
    if update_rollups.app.conf.task_always_eager:
        update_rollups.delay()
        return
    now = time.monotonic()
    if now - _last_kick < KICK_INTERVAL:
        return
    _last_kick = now
    if cache.add(QUEUED, 1, timeout=30):
        update_rollups.delay()
