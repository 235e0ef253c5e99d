"""The production shape: a report committed on PostgreSQL reaches the rollups through a real Celery worker."""

import pytest

from apps.insights.models import ContactRollup, RollupChange
from apps.insights.tasks import update_rollups
from apps.reports.services import report_submit
from tests.celery_worker import celery_worker, skip_unless_broker_and_postgresql, wait_for
from tests.insights.conftest import at


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_applies_the_queue_a_committed_report_left(world):
    skip_unless_broker_and_postgresql()
    anna = world.person("anna", breaches=[world.contest])  # her exposure queues a change of scopes
    queued = RollupChange.objects.count()

    report_submit(reporter=anna, caller_number="+234 803 000 0001", channel="call", occurred_at=at(2024, 12, 2))
    assert RollupChange.objects.count() == queued + 1  # queued with the report, in its transaction

    with celery_worker() as worker:
        update_rollups.apply_async(queue=worker.queue)
        assert wait_for(worker, lambda: not RollupChange.objects.exists()), "the worker never applied the queue"
    assert ContactRollup.objects.filter(grain="all", channel="*", country="*", script="*").count() == 2  # 2 scopes
