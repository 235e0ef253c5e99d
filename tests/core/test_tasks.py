import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from apps.core.models import WorkerHeartbeat
from apps.core.tasks import prune_heartbeats, record_heartbeat

ROOT = Path(__file__).resolve().parents[2]


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


def _database_url_of_test_database() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_celery_worker_runs_a_task_that_writes_to_postgresql(settings):
    """CI's second pass sets CELERY_BROKER_URL (Redis) and DATABASE_URL (PostgreSQL); this proves the
    production shape end to end: publish to Redis, a separate worker process consumes, the row lands."""
    if not os.environ.get("CELERY_BROKER_URL") or connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL + Redis pass of .ci/run (CELERY_BROKER_URL and DATABASE_URL set)")
    assert settings.CELERY_TASK_ALWAYS_EAGER is False

    queue = f"test-{uuid.uuid4().hex[:12]}"  # our own queue: no other worker can take the task
    env = {**os.environ, "DATABASE_URL": _database_url_of_test_database()}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "breachwatch",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        record_heartbeat.apply_async(kwargs={"hostname": queue}, queue=queue)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not WorkerHeartbeat.objects.filter(hostname=queue).exists():
            assert worker.poll() is None, f"worker exited early:\n{worker.stdout.read()}"
            time.sleep(0.25)
        assert WorkerHeartbeat.objects.filter(hostname=queue).exists(), "the worker never wrote the row"
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
