"""Rollup tasks: thin wrappers; the work is in rollups.py and rebuild.py."""

import logging

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


def update_rollups_soon() -> None:
    """Run the update once the current transaction has committed: inline on the embedded default, else
    one queued task at a time, however many reports arrive meanwhile."""
    if update_rollups.app.conf.task_always_eager or cache.add(QUEUED, 1, timeout=30):
        update_rollups.delay()
