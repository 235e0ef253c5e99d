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
    blocked = attempt("203.0.113.200", "victim@example.org", PASSWORD)  # even the right password
    assert blocked.status_code == 200 and "_auth_user_id" not in blocked.wsgi_request.session
    # past the ceiling, only the owner's mailbox opens the account (tests/accounts/test_login_link.py)
    assert "logging in takes one more step" in blocked.content.decode()


def test_a_forged_x_forwarded_for_does_not_dodge_the_lockout_when_no_proxy_is_trusted(make_person, settings):
    settings.TRUSTED_PROXY_COUNT = 0  # gunicorn faces the clients, as docker-compose.yml runs it
    make_person("victim@example.org")

    def forged(n: int, password: str):
        return Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").post(
            "/accounts/login/", {"login": "victim@example.org", "password": password}
        )

    for n in range(5):
        forged(n, "wrong-password-1")

    assert forged(99, PASSWORD).status_code == 429  # a sixth "address" is still the same network
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}


def test_behind_a_trusted_proxy_the_address_it_appended_is_the_client(make_person, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    make_person("victim@example.org")
    proxy = Client(REMOTE_ADDR="10.0.0.2")  # every request arrives from the load balancer

    def through_proxy(client_ip: str, password: str, forged: str = "192.0.2.66"):
        return proxy.post(
            "/accounts/login/",
            {"login": "victim@example.org", "password": password},
            HTTP_X_FORWARDED_FOR=f"{forged}, {client_ip}",
        )

    for _ in range(5):
        through_proxy("203.0.113.9", "wrong-password-1")

    assert through_proxy("203.0.113.9", PASSWORD, forged="192.0.2.77").status_code == 429
    assert through_proxy("198.51.100.7", PASSWORD).status_code == 302  # the owner, elsewhere, is not locked out
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
