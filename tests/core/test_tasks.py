from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.models import WorkerHeartbeat
from apps.core.tasks import prune_heartbeats, record_heartbeat
from tests.celery_worker import celery_worker, skip_unless_broker_and_postgresql, wait_for


@pytest.mark.django_db
def test_tasks_run_eagerly_on_the_embedded_default(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    record_heartbeat.delay(hostname="eager@test")

    assert WorkerHeartbeat.objects.filter(hostname="eager@test").exists()


@pytest.mark.django_db
def test_heartbeat_updates_one_row_per_worker():
    record_heartbeat(hostname="w1")
    first = WorkerHeartbeat.objects.get(hostname="w1").seen_at
    record_heartbeat(hostname="w1")

    assert WorkerHeartbeat.objects.filter(hostname="w1").count() == 1
    assert WorkerHeartbeat.objects.get(hostname="w1").seen_at >= first


@pytest.mark.django_db
def test_prune_forgets_workers_silent_for_a_week():
    WorkerHeartbeat.objects.create(hostname="old", seen_at=timezone.now() - timedelta(days=8))
    WorkerHeartbeat.objects.create(hostname="new", seen_at=timezone.now())

    assert prune_heartbeats() == 1
    assert list(WorkerHeartbeat.objects.values_list("hostname", flat=True)) == ["new"]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_celery_worker_runs_a_task_that_writes_to_postgresql(settings):
    """CI's second pass sets CELERY_BROKER_URL (Redis) and DATABASE_URL (PostgreSQL); this proves the
    production shape end to end: publish to Redis, a separate worker process consumes, the row lands."""
    skip_unless_broker_and_postgresql()
    assert settings.CELERY_TASK_ALWAYS_EAGER is False

    with celery_worker() as worker:
        record_heartbeat.apply_async(kwargs={"hostname": worker.queue}, queue=worker.queue)
        landed = wait_for(worker, lambda: WorkerHeartbeat.objects.filter(hostname=worker.queue).exists())
        assert landed, "the worker never wrote the row"
