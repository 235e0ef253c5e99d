"""The debug page (and the error e-mails, which use the same filter) never show a secret: not the settings
Django hides by name, nor IDENTIFIER_PEPPER, a password in a broker URL, or a secret copied into a variable
or into the process environment (issue 9)."""

import sys

import pytest
from django.test import RequestFactory
from django.views.debug import technical_500_response

PEPPER = "pepper-that-must-never-show-1234"
KEY = "a2V5LXRoYXQtbXVzdC1uZXZlci1zaG93LTMyYnl0ZXM="
BROKER = "redis://:broker-password-never-shown@redis:6379/0"


@pytest.fixture
def secrets_set(settings):
    settings.DEBUG = True
    settings.IDENTIFIER_PEPPER = PEPPER
    settings.IDENTIFIER_ENCRYPTION_KEYS = [KEY]
    settings.SECRET_KEY = "secret-key-that-must-never-show-0987654321"
    settings.SMS_GATEWAY_TOKEN = "gateway-token-never-shown"
    settings.CELERY_BROKER_URL = BROKER
    return settings


def debug_page(request) -> str:
    pepper_copy = PEPPER.encode()  # noqa: F841 - a local variable the traceback lists
    keys = {"first": KEY}  # noqa: F841
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        return technical_500_response(request, *sys.exc_info()).content.decode()


def test_the_debug_page_hides_every_secret(secrets_set):
    request = RequestFactory().get("/", HTTP_X_PEPPER=PEPPER)
    request.META["IDENTIFIER_PEPPER"] = PEPPER  # runserver copies the process environment into META

    page = debug_page(request)

    assert "boom" in page and "IDENTIFIER_PEPPER" in page  # the page is shown, with the names
    for secret in (PEPPER, KEY, "broker-password-never-shown", "gateway-token-never-shown", "secret-key-that"):
        assert secret not in page
    assert "redis:6379" not in page  # the URL holding a password is hidden whole


def test_ordinary_values_stay_visible(secrets_set):
    page = debug_page(RequestFactory().get("/"))

    assert "Europe/Rome" in page  # TIME_ZONE: debugging still shows the configuration
