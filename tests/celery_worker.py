"""A real Celery worker process for the tests marked `worker` (CI's PostgreSQL + Redis pass)."""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def skip_unless_broker_and_postgresql() -> None:
    if not os.environ.get("CELERY_BROKER_URL") or connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL + Redis pass of .ci/run (CELERY_BROKER_URL and DATABASE_URL set)")


def _database_url_of_test_database() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def real_workers_configured() -> bool:
    """True in CI's PostgreSQL + Redis pass, where the tests marked `worker` run (tests/conftest.py leaves
    them out of the SQLite pass, which tests the same machinery eagerly)."""
    from django.conf import settings

    postgresql = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    return bool(os.environ.get("CELERY_BROKER_URL")) and postgresql


@contextmanager
def celery_worker(*, queue: str | None = None, env: dict[str, str] | None = None):
    """Start a worker on a queue of its own (no other worker can take the tasks sent there), or on `queue` (a
    second worker after the first was killed), with extra environment `env`; yields the worker process (its
    queue name as .queue) and stops it afterwards."""
    queue = queue or f"test-{uuid.uuid4().hex[:12]}"
    env = {**os.environ, "DATABASE_URL": _database_url_of_test_database(), **(env or {})}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "breachwatch", "worker", "--pool=solo", "-Q", queue,
         "--without-gossip", "--without-mingle", "--loglevel=INFO"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    worker.queue = queue
    try:
        yield worker
    finally:
        if worker.poll() is None:
            worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def wait_for(worker, condition: Callable[[], bool], *, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        assert worker.poll() is None, f"worker exited early:\n{worker.stdout.read()}"
        time.sleep(0.25)
    return condition()
