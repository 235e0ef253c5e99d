"""The account e-mails: written for BreachWatch, HTML plus text, with links from SITE_URL that survive a copy."""

import re
from email import message_from_bytes, policy

import pytest

pytestmark = pytest.mark.django_db
PASSWORD_FIELDS = {"password1": "una-password-lunga-42", "password2": "una-password-lunga-42"}


@pytest.fixture
def mail_dir(settings, tmp_path):
    """Mail goes through the embedded default's file backend into tmp_path; returns a reader of the messages."""
    backend = {"BACKEND": "apps.core.mail.ReadableFileBackend", "OPTIONS": {"file_path": tmp_path}}
    settings.MAILERS = {"default": backend}

    def messages():
        found = []
        for path in sorted(tmp_path.iterdir()):
            for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if chunk.strip():
                    found.append((chunk.decode(), message_from_bytes(chunk, policy=policy.default)))
        return found

    return messages


def test_the_sign_up_confirmation_link_is_on_one_line_of_the_written_file_and_opens_the_page(
    mail_dir, settings, client
):
    settings.SITE_URL = "https://breachwatch.example.org"
    client.post(
        "/accounts/signup/",
        {"email": "nuova.persona@example.org", **PASSWORD_FIELDS},
        HTTP_ACCEPT_LANGUAGE="it",
        HTTP_HOST="127.0.0.1",
    )

    [(raw, message)] = mail_dir()
    links = re.findall(r"^(https://breachwatch\.example\.org/accounts/confirm-email/\S+)$", raw, flags=re.M)
    assert links and len(set(links)) == 1  # from SITE_URL, not the Host header; whole on its own line
    assert "quoted-printable" not in raw and "Hello from" not in raw and "example.com" not in raw
    assert message["Subject"] == "[BreachWatch] Conferma il tuo indirizzo e-mail"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "completare l'iscrizione a BreachWatch" in text and links[0] in text
    assert f'href="{links[0]}"' in html and "Conferma il mio indirizzo" in html
    page = client.get(links[0].removeprefix(settings.SITE_URL), HTTP_ACCEPT_LANGUAGE="it")
    assert page.status_code == 200 and "nuova.persona@example.org" in page.content.decode()


def test_the_password_reset_mail_links_the_reset_page_from_site_url(mail_dir, settings, make_person, client):
    settings.SITE_URL = "https://breachwatch.example.org"
    make_person("giulia@example.org")

    client.post("/accounts/password/reset/", {"email": "giulia@example.org"}, HTTP_ACCEPT_LANGUAGE="en")

    [(raw, message)] = mail_dir()
    [link] = set(re.findall(r"^(https://breachwatch\.example\.org/accounts/password/reset/key/\S+)$", raw, flags=re.M))
    assert message["Subject"] == "[BreachWatch] Choose a new password"
    assert "Choose a new password" in message.get_body(("html",)).get_content()
    page = client.get(link.removeprefix(settings.SITE_URL), follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and 'name="password1"' in page.content.decode()
