import pytest
from django.db import DatabaseError


@pytest.mark.django_db
def test_healthz_reports_database_and_eager_broker_as_json(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["ok"] is True
    assert body["database"]["ok"] is True
    assert body["broker"] == {"ok": True, "mode": "eager"}


@pytest.mark.django_db
def test_healthz_is_503_and_names_the_broker_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False
    assert response.json()["database"]["ok"] is True


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_fails(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("apps.core.health.connection.cursor", broken_cursor)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"]["ok"] is False


@pytest.mark.django_db
def test_healthz_is_never_cached(client):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]


@pytest.mark.django_db
def test_a_probe_by_address_gets_healthz_while_other_pages_keep_checking_the_host(client, settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["breachwatch.example.org"]  # as in .env.example
    settings.SECURE_SSL_REDIRECT = True

    probe = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")  # docker-compose.yml's health check
    other = client.get("/breaches/", HTTP_HOST="127.0.0.1:8000")

    assert probe.status_code == 200 and probe.json()["ok"] is True
    assert other.status_code == 400
    assert client.get("/breaches/", HTTP_HOST="breachwatch.example.org", secure=True).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(("seconds_ago", "alive"), [(59, True), (85, True), (91, False)])
def test_healthz_notices_a_silent_worker_within_90_seconds(client, settings, monkeypatch, seconds_ago, alive):
    """Beat asks for a heartbeat every minute; a worker that lost the broker misses the next one, and /healthz
    says so before a minute and a half has passed (issue 9)."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.core.models import WorkerHeartbeat

    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr("apps.core.health.broker_status", lambda: {"ok": True, "mode": "broker"})
    WorkerHeartbeat.objects.create(hostname="celery@w1", seen_at=timezone.now() - timedelta(seconds=seconds_ago))

    assert client.get("/healthz").json()["worker"]["alive"] is alive
