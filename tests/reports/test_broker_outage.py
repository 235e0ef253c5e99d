"""A report sent while the broker is down (issue 9): it is stored once and answered 201, never 500 (a phone
app that retries a 500 would store it twice); its number's counters are refreshed at once, and the
statistics catch up when the broker is back (the beat's update applies the changes queued with the report).
The outage is real: Celery publishes to a broker URL whose port nothing listens on."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.insights.models import RollupChange
from apps.insights.tasks import update_rollups
from apps.reports.models import CallerNumber, ContactReport
from tests.reports.conftest import SCAM, SCAM_E164

CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def broker_down(monkeypatch):
    """Tasks are published (not run eagerly) to a broker that refuses connections."""
    from breachwatch.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setenv("CELERY_BROKER_URL", CLOSED_PORT)  # Celery reads it before its own configuration
    monkeypatch.setitem(app.conf, "broker_url", CLOSED_PORT)
    monkeypatch.setitem(app.conf, "broker_write_url", None)
    monkeypatch.setattr(app, "_pool", None)  # connections made from the URL above, not kept from before
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
    monkeypatch.setattr("apps.insights.tasks._last_kick", float("-inf"))
    with app.connection_for_write() as connection, pytest.raises(OperationalError):  # the outage is real
        connection.ensure_connection(max_retries=1, interval_start=0)


@pytest.mark.django_db(transaction=True)  # real commits: the on-commit work runs as in production
def test_a_report_sent_while_the_broker_is_down_is_stored_once_and_answered_201(broker_down, reporter):
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=reporter).key}")
    when = (timezone.now() - timedelta(hours=1)).isoformat()

    started = time.monotonic()
    answer = api.post("/api/v1/reports/", {"caller_number": SCAM, "channel": "sms", "occurred_at": when}, format="json")

    assert answer.status_code == 201, answer.content
    assert time.monotonic() - started < 3  # one try at the broker, not kombu's retries (6 s)
    report = ContactReport.objects.get()
    assert CallerNumber.objects.get(e164=SCAM_E164).reports_count == 1  # the counters did not wait
    assert RollupChange.objects.filter(report_id=report.pk).exists()  # queued for the statistics

    update_rollups()  # the broker is back: the beat's run every minute

    assert not RollupChange.objects.exists()
