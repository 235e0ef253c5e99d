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
