import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client

from apps.accounts.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_rate_limits():
    cache.clear()  # allauth's rate limits live in the cache
    yield
    cache.clear()


def attempt(client_ip: str, email: str, password: str):
    return Client(REMOTE_ADDR=client_ip, HTTP_ACCEPT_LANGUAGE="en").post(
        "/accounts/login/", {"login": email, "password": password}
    )


def test_five_failures_from_one_network_lock_that_network_not_the_owner(make_person):
    make_person("victim@example.org")
    for _ in range(5):
        attempt("203.0.113.9", "victim@example.org", "wrong-password-1")

    locked = attempt("203.0.113.9", "victim@example.org", PASSWORD)
    owner = attempt("198.51.100.7", "victim@example.org", PASSWORD)

    assert locked.status_code == 429
    assert "reset your password" in locked.content.decode()
    assert owner.status_code == 302  # the owner, from their own network, logs in
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOCKOUT).exists()


def test_attempts_are_recorded_under_a_keyed_hash_not_the_email(make_person):
    make_person("victim@example.org")
    attempt("203.0.113.9", "victim@example.org", "wrong-password-1")

    recorded = AccessAttempt.objects.get()
    assert "victim" not in recorded.username and len(recorded.username) == 64
    assert "victim@example.org" not in (recorded.post_data or "") + (recorded.get_data or "")


def test_an_hourly_ceiling_per_account_stops_guessing_from_many_networks(make_person, settings):
    make_person("victim@example.org")
    statuses = [attempt(f"203.0.113.{n}", "victim@example.org", "wrong-password-1").status_code for n in range(1, 23)]

    assert statuses[:20] == [200] * 20  # each network below the per-IP lockout, the form shows the error
    blocked = attempt("203.0.113.200", "victim@example.org", "wrong-password-1")
    assert blocked.status_code in (200, 429)
    assert "Too many failed login attempts" in blocked.content.decode()
