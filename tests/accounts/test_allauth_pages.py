"""allauth's pages read as BreachWatch pages: the site's layout, its own Italian, help for the person, and none
of the library's stock wording (in English or in allauth's own Italian catalogue)."""

import html
import re

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core.cache import cache
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

# allauth's templates, as they read in English and through allauth's Italian catalogue.
STOCK = [
    "Confirm Email Address",
    "Verify Your Email Address",
    "Password Reset",
    "Change Password",
    "Sign Out",
    "Sign In",
    "Are you sure you want to sign out?",
    "Two-Factor Authentication",
    "authenticator code",
    "Confirm Access",
    "Please reauthenticate",
    "Activate Authenticator App",
    "Deactivate Authenticator App",
    "Authenticator secret",
    "Account Inactive",
    "Bad Token",
    "Conferma l'indirizzo email",
    "Verifica il tuo indirizzo email",
    "Reimpostazione password",
    "Cambia la tua Password",
    "Disconnetti",
    "Sei sicuro di volerti disconnettere?",
    "Autenticazione a Due Fattori",
    "Conferma l'accesso",
    "rieseguire l'autenticazione",
    "Attiva l'applicazione di autenticazione",
    "Disattiva l'applicazione di autenticazione",
    "Segreto dell'autenticatore",
    "Inserisci il codice di autenticazione",
    "Token non valido",
    "Account non attivo",
    "Password cambiata.",
]


@pytest.fixture(autouse=True)
def _clean_rate_limits():
    cache.clear()
    yield
    cache.clear()


def italian() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="it")


def logged_in(email: str) -> Client:
    client = italian()
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def read(client: Client, path: str, *, status: int = 200) -> str:
    response = client.get(path, follow=True)
    assert response.status_code == status, (path, response.redirect_chain)
    return html.unescape(response.content.decode())


def read_sensitive(client: Client, path: str) -> str:
    """A page allauth puts behind typing the password once more: type it, as the person would."""
    response = client.get(path)
    if response.status_code == 302 and response["Location"].startswith("/accounts/reauthenticate/"):
        client.post(response["Location"], {"password": PASSWORD})
    return read(client, path)


def assert_breachwatch_page(text: str, *wording: str) -> None:
    assert "Vai al contenuto" in text and "BreachWatch" in text  # the site's layout, in Italian
    for phrase in wording:
        assert phrase in text
    main = re.search(r"<main.*?</main>", text, flags=re.S).group(0)
    stock = [phrase for phrase in STOCK if phrase in main]
    assert stock == []


def test_the_email_confirmation_page(make_person):
    person = make_person("nuovo@example.org")
    address = EmailAddress.objects.create(user=person, email="altro@example.org", verified=False)
    key = EmailConfirmationHMAC(address).key

    assert_breachwatch_page(
        read(italian(), f"/accounts/confirm-email/{key}/"), "Conferma il tuo indirizzo e-mail", "altro@example.org"
    )
    assert_breachwatch_page(
        read(italian(), "/accounts/confirm-email/not-a-key/"), "Questo link di conferma non funziona più"
    )


def test_the_check_your_mail_page_after_signing_up():
    assert_breachwatch_page(read(italian(), "/accounts/confirm-email/"), "Controlla la tua e-mail", "spam")


def test_the_password_reset_pages(make_person):
    person = make_person("giulia@example.org")
    assert_breachwatch_page(read(italian(), "/accounts/password/reset/"), "Hai dimenticato la password?")
    assert_breachwatch_page(read(italian(), "/accounts/password/reset/done/"), "Controlla la tua e-mail")
    assert_breachwatch_page(read(italian(), "/accounts/password/reset/key/1-bad-key/"), "Questo link non funziona più")
    key = f"{user_pk_to_url_str(person)}-{default_token_generator.make_token(person)}"
    assert_breachwatch_page(
        read(italian(), f"/accounts/password/reset/key/{key}/"), "Scegli una nuova password", "12 caratteri"
    )
    assert_breachwatch_page(read(italian(), "/accounts/password/reset/key/done/"), "La nuova password è salvata")


def test_the_pages_of_a_logged_in_member(make_person):
    make_person("giulia@example.org")
    client = logged_in("giulia@example.org")

    assert_breachwatch_page(read(client, "/accounts/password/change/"), "Cambia la password", "password attuale")
    assert_breachwatch_page(read(client, "/accounts/email/"), "Il tuo indirizzo di accesso", "giulia@example.org")
    assert_breachwatch_page(read(client, "/accounts/reauthenticate/"), "Conferma che sei tu")
    assert_breachwatch_page(read_sensitive(client, "/accounts/2fa/totp/activate/"), "Configura l'app di autenticazione")
    assert_breachwatch_page(read(client, "/accounts/logout/"), "Vuoi uscire da BreachWatch?")


def test_the_two_factor_pages(make_person, with_totp):
    person = make_person("giulia@example.org")
    code = with_totp(person)
    RecoveryCodes.activate(person)
    client = italian()
    client.post("/accounts/login/", {"login": "giulia@example.org", "password": PASSWORD})

    assert_breachwatch_page(
        read(client, "/accounts/2fa/authenticate/"), "il codice della tua app", "codici di recupero"
    )

    client.post("/accounts/2fa/authenticate/", {"code": code()})
    assert_breachwatch_page(read(client, "/accounts/2fa/reauthenticate/"), "Conferma che sei tu")
    assert_breachwatch_page(
        read_sensitive(client, "/accounts/2fa/totp/deactivate/"), "Disattivare l'app di autenticazione?"
    )
    assert_breachwatch_page(
        read_sensitive(client, "/accounts/2fa/recovery-codes/"), "Codici di recupero", "codici non usati"
    )
    assert_breachwatch_page(
        read_sensitive(client, "/accounts/2fa/recovery-codes/generate/"), "Crea nuovi codici di recupero"
    )


def test_the_inactive_account_page():
    assert_breachwatch_page(read(italian(), "/accounts/inactive/"), "Questo account è chiuso")
