"""The admin names the libraries' apps and models in BreachWatch's words, in Italian as in English."""

import html
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def admin_index(officer, language: str) -> list[str]:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(officer)  # with TOTP set up, as after a login with the code
    page = client.get("/admin/")
    assert page.status_code == 200
    headings = re.findall(r"<caption>.*?</caption>|<th scope=\"row\"[^>]*>.*?</th>", page.content.decode(), re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", heading)).strip() for heading in headings]


@pytest.fixture
def officer(make_person, with_totp):
    person = make_person("officer@example.org", is_staff=True, is_superuser=True)
    with_totp(person)
    return person


def test_the_italian_admin_index_names_every_app_and_model_in_italian(officer):
    names = admin_index(officer, "it")

    for expected in [
        "Autenticazione a due fattori",
        "Secondi fattori",
        "Token API",
        "Indirizzi di accesso",
        "Indirizzi e-mail di accesso",
        "Protezione degli accessi",
    ]:
        assert expected in names
    for stock in ["Authenticators", "MFA", "I Token", "Auth Token", "Tokens", "Axes", "Account", "Indirizzi email"]:
        assert stock not in names


def test_the_english_admin_index_uses_the_same_names(officer):
    names = admin_index(officer, "en")

    assert {"Two-factor authentication", "Second factors", "API tokens", "Login addresses"} <= set(names)
    assert "Authenticators" not in names and "Auth Token" not in names


def test_the_second_factors_change_list_reads_in_italian(officer):
    client = Client(HTTP_ACCEPT_LANGUAGE="it")
    client.force_login(officer)

    page = html.unescape(client.get("/admin/mfa/authenticator/").content.decode())

    assert "secondo fattore" in page and "authenticator da modificare" not in page
