"""Rollup tasks: thin wrappers; the work is in rollups.py and rebuild.py."""

import logging
import time

from celery import shared_task
from django.core.cache import cache

from apps.breaches.models import Breach
from apps.insights.linkage import store
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


@shared_task(name="insights.breach_evidence_compute", acks_late=True, ignore_result=True)
def breach_evidence_compute(breach_id: int) -> None:
    """Recompute and store one breach's evidence (an officer's recompute; one per breach of the nightly run)."""
    breach = Breach.objects.filter(pk=breach_id).first()
    if breach is None:  # deleted since the task was queued
        return
    store.breach_evidence_compute(breach=breach)


@shared_task(name="insights.breach_evidence_compute_all", ignore_result=True)
def breach_evidence_compute_all() -> int:
    """Queue the recompute of every breach's evidence (nightly by beat): one task per breach, so a slow or
    failing breach holds up no other and the workers of the analytics queue share them."""
    breach_ids = list(Breach.objects.order_by("pk").values_list("pk", flat=True))
    for breach_id in breach_ids:
        breach_evidence_compute.delay(breach_id)
    return len(breach_ids)


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
    try:
        if cache.add(QUEUED, 1, timeout=30):
            _publish_update()
    except Exception:  # noqa: BLE001 - broker or cache down: any transport error
        # It runs after the report's commit: raising would turn a stored report into a 500, which a phone app
        # retries, storing it twice, and would skip the number's counters refreshed after this.
        logger.warning("Could not queue the statistics update; the beat's run will apply it", exc_info=True)
        _forget_queued_flag()


def _publish_update() -> None:
    """Publish one update_rollups, trying the broker once. Not retried: the change is queued in the database
    and the beat's run applies it within a minute of the broker's return, so retrying would only hold up the
    answer to the report (kombu's default retries took 6 s against a closed port)."""
    app = update_rollups.app
    with app.pool.acquire(block=True) as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        update_rollups.apply_async(connection=connection, retry=False)


def _forget_queued_flag() -> None:
    """No run was queued after all: let the next kick try again (if the cache is reachable)."""
    try:
        cache.delete(QUEUED)
    except Exception:  # noqa: BLE001 - the cache is what is down
        logger.debug("Cache unreachable while forgetting the queued flag", exc_info=True)
