"""Shared fixtures: a real Chromium driven by Playwright, and the folder where tests leave screenshots."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around it are
# ordinary synchronous code, so Django's async-safety guard is switched off for the test process only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Code called outside a request (services, forms) speaks English unless a test says otherwise; without
    this, the language a previous test's request left active in the thread would decide."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_generation_of_cached_figures():
    """Each test starts a new generation of cached statistics (apps/insights/cache.py), so no figure cached
    by an earlier test, whose rows were rolled back, can be read; within a test the cache works as served."""
    from django.core.cache import cache

    from apps.insights.cache import GENERATION_KEY, forget_generation

    cache.delete(GENERATION_KEY)
    forget_generation()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests create many accounts (tests/accounts/test_passwords.py checks the
    real setting)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _celery_eager(request, monkeypatch):
    """Tasks run in the test process, also in the Redis pass of CI; only tests marked `worker` publish to
    the broker for a real worker to consume."""
    if request.node.get_closest_marker("worker"):
        return
    from breachwatch.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


def pytest_collection_modifyitems(config, items):
    """Tests marked `worker` need a real broker and PostgreSQL (CI's second pass); on the embedded default
    they are left out, not skipped: that pass tests the same machinery with eager tasks."""
    from tests.celery_worker import real_workers_configured

    if real_workers_configured():
        return
    left_out = [item for item in items if item.get_closest_marker("worker")]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not item.get_closest_marker("worker")]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """Open pages in fresh browser contexts: new_page(locale="it-IT", width=390)."""
    contexts = []

    def open_page(*, locale="it-IT", width=1280, height=900):
        context = browser.new_context(locale=locale, viewport={"width": width, "height": height})
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under tests/artifacts/ (ignored by git) and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def sms_outbox(settings):
    """Route SMS to memory and return the (emptied) list of SmsMessage sent during the test."""
    from apps.phones import sms

    settings.SMS_BACKEND = "memory"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


PASSWORD = "correct-horse-battery-42"


@pytest.fixture
def make_person(db):
    """Create an active person whose login e-mail is verified: make_person("a@example.org")."""
    from allauth.account.models import EmailAddress

    from apps.accounts.models import User

    def make(email="person@example.org", **fields):
        user = User.objects.create_user(email, PASSWORD, **fields)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return user

    return make


@pytest.fixture
def organisation(db):
    from apps.breaches.models import Organisation

    return Organisation.objects.create(name="Acme Servizi", slug="acme-servizi")


@pytest.fixture(autouse=True)
def _force_login_passes_the_enrolled_second_factor(monkeypatch):
    """Client.force_login(user) stands for a full login: when the user has TOTP at that moment, the session
    records that it passed it, as allauth records a login with a code. A session forced before with_totp()
    stays password-only, which is what tests/accounts/test_two_factor_sessions.py attacks."""
    from allauth.account.internal.flows.login import record_authentication
    from django.http import HttpRequest
    from django.test import Client

    from apps.accounts.roles import has_mfa

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if has_mfa(user):
            request = HttpRequest()
            request.session = self.session
            record_authentication(request, user, "mfa", type="totp")
            request.session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def with_totp():
    """Give a user a TOTP authenticator; returns a function yielding a currently valid code for them."""
    from allauth.mfa.totp.internal.auth import (
        TOTP,
        format_hotp_value,
        generate_totp_secret,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    def enable(user):
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        return lambda: format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))

    return enable


@pytest.fixture
def wsgi_calls_keep_the_test_connection():
    """Django closes "old" connections when a request ends; for requests sent straight to the WSGI app (as
    Schemathesis does) that would close the test's own transaction on PostgreSQL. django.test.Client
    disconnects the same handlers for the same reason."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def browser_session_cookie(live_server, user) -> dict:
    """A signed-in session for a browser context, made by Client.force_login: with the second factor passed
    when the user has one (staff pages need the session itself to have passed it)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    host = live_server.url.split("//")[1].split(":")[0]
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "domain": host, "path": "/"}
