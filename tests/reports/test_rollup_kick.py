"""Each report queues its rollup change in its own transaction; with a broker, the processes kick the update
task at most once a KICK_INTERVAL between them, and the beat's run picks up anything a kick missed."""

import pytest

from apps.insights import tasks
from apps.insights.models import RollupChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_broker(monkeypatch):
    """Tasks published, not run (as with CELERY_BROKER_URL), counted; a fresh process's kick state."""
    from breachwatch.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", False)
    published, looks = [], []
    monkeypatch.setattr(tasks.update_rollups, "apply_async", lambda *args, **kwargs: published.append(1))
    add = tasks.cache.add
    monkeypatch.setattr(tasks.cache, "add", lambda *args, **kwargs: looks.append(1) or add(*args, **kwargs))
    monkeypatch.setattr(tasks, "_last_kick", float("-inf"))
    clock = [1000.0]
    monkeypatch.setattr(tasks.time, "monotonic", lambda: clock[0])
    return published, looks, clock


def test_a_burst_of_reports_queues_every_change_and_publishes_one_task(with_broker, reporter, submit):
    published, looks, _clock = with_broker

    reports = [submit(reporter, caller_number=f"+234 803 123 456{n}") for n in range(3)]

    assert RollupChange.objects.filter(report_id__in=[r.pk for r in reports]).count() == 3
    assert published == [1] and looks == [1]  # one look at the flag for the burst, one task


def test_after_the_interval_a_process_looks_again_and_kicks_once_the_queued_run_started(with_broker):
    published, looks, clock = with_broker
    tasks.update_rollups_soon()

    clock[0] += tasks.KICK_INTERVAL / 2
    tasks.update_rollups_soon()  # within the interval: not even a look
    clock[0] += tasks.KICK_INTERVAL
    tasks.update_rollups_soon()  # the queued run has not started: the flag is still set
    tasks.cache.delete(tasks.QUEUED)  # what update_rollups() does when it starts
    clock[0] += tasks.KICK_INTERVAL
    tasks.update_rollups_soon()

    assert looks == [1, 1, 1] and published == [1, 1]


def test_the_beat_applies_the_changes_every_minute():
    from breachwatch.celery import app

    entry = next(e for e in app.conf.beat_schedule.values() if e["task"] == "insights.update_rollups")

    assert entry["schedule"] <= 60
