"""Past the per-account ceiling on failed logins, the owner still gets in: right password plus an e-mailed link.

The attack: 20 wrong passwords from 10 networks (two each, below axes' per-network lockout) reach the
account's hourly ceiling. Before, that locked the owner out everywhere for an hour."""

import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from apps.accounts.models import Membership
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/accounts/login/link/[^/\s]+/)")


@pytest.fixture(autouse=True)
def _clean_rate_limits(settings):
    settings.SITE_URL = "http://testserver"
    cache.clear()  # allauth's rate limits live in the cache
    yield
    cache.clear()


def attack(email: str) -> None:
    for n in range(20):
        response = Client(REMOTE_ADDR=f"203.0.113.{n // 2 + 1}").post(
            "/accounts/login/", {"login": email, "password": f"guess-{n}"}
        )
        assert response.status_code == 200  # each a plain wrong-password answer
    mail.outbox.clear()


def browser(ip: str = "198.51.100.7", language: str = "en") -> Client:
    return Client(REMOTE_ADDR=ip, HTTP_ACCEPT_LANGUAGE=language)


def log_in(client: Client, email: str, password: str):
    return client.post("/accounts/login/", {"login": email, "password": password})


def answer_text(response) -> str:
    """What the person reads in the answer, without the per-request tokens (CSRF, nonces)."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


def test_after_the_attack_the_owner_with_the_right_password_gets_a_link_and_is_in(make_person):
    owner = make_person("victim@example.org", preferred_language="it")
    attack("victim@example.org")
    client = browser()

    response = log_in(client, "victim@example.org", PASSWORD)

    assert response.status_code == 200 and "_auth_user_id" not in client.session  # not in yet
    page = response.content.decode()
    assert "we have sent a link" in page and "in this browser within 15 minutes" in page
    [message] = mail.outbox
    assert message.to == ["victim@example.org"]
    assert message.subject == "[BreachWatch] Il tuo link per accedere"  # in the owner's language
    assert "nello stesso browser" in message.body
    link = LINK.search(message.body).group(1)
    assert link in message.alternatives[0].content  # the HTML part carries the same link

    page = client.get(link)
    assert page.status_code == 200 and "_auth_user_id" not in client.session  # opening it alone logs no one in
    done = client.post(link)

    assert done.status_code == 302 and done["Location"] == "/me/"
    assert client.session["_auth_user_id"] == str(owner.pk)
    assert client.get("/me/").status_code == 200


def test_a_wrong_password_past_the_ceiling_sends_no_link_and_reads_the_same(make_person):
    make_person("victim@example.org")
    attack("victim@example.org")

    right = log_in(browser(), "victim@example.org", PASSWORD)
    assert len(mail.outbox) == 1
    mail.outbox.clear()
    wrong = log_in(browser("198.51.100.8"), "victim@example.org", "not-the-password")

    assert mail.outbox == []
    assert wrong.status_code == right.status_code == 200
    assert answer_text(wrong) == answer_text(right)


def test_an_address_without_an_account_gets_the_same_answer(make_person):
    make_person("victim@example.org")
    attack("victim@example.org")
    attack("nobody@example.org")

    known = log_in(browser(), "victim@example.org", PASSWORD)
    mail.outbox.clear()
    unknown_client = browser("198.51.100.8")
    unknown = log_in(unknown_client, "nobody@example.org", PASSWORD)

    assert mail.outbox == []
    assert unknown.status_code == known.status_code == 200
    assert answer_text(unknown) == answer_text(known).replace("victim@example.org", "nobody@example.org")
    assert "login_link_nonce" in unknown_client.session  # the same session write as for a real account


def test_the_link_works_once(make_person):
    make_person("victim@example.org")
    attack("victim@example.org")
    client = browser()
    log_in(client, "victim@example.org", PASSWORD)
    link = LINK.search(mail.outbox[0].body).group(1)
    assert client.post(link).status_code == 302
    client.post("/accounts/logout/")

    again = client.post(link)

    assert again.status_code == 410 and "_auth_user_id" not in client.session
    assert "This link does not work here" in again.content.decode()


def test_the_link_does_not_work_in_another_browser(make_person):
    make_person("victim@example.org")
    attack("victim@example.org")
    log_in(browser(), "victim@example.org", PASSWORD)
    link = LINK.search(mail.outbox[0].body).group(1)

    # Someone who reads the mailbox, in a browser of their own, even one that tried a password for the account.
    other = browser("192.0.2.50")
    log_in(other, "victim@example.org", "a-wrong-guess")
    response = other.post(link)

    assert response.status_code == 410 and "_auth_user_id" not in other.session


def test_a_link_stops_working_when_the_password_changes(make_person):
    owner = make_person("victim@example.org")
    attack("victim@example.org")
    client = browser()
    log_in(client, "victim@example.org", PASSWORD)
    link = LINK.search(mail.outbox[0].body).group(1)
    owner.set_password("a-brand-new-password-77")
    owner.save()

    assert client.post(link).status_code == 410


def test_an_altered_link_logs_nobody_in(make_person):
    make_person("victim@example.org")
    attack("victim@example.org")
    client = browser()
    log_in(client, "victim@example.org", PASSWORD)
    link = LINK.search(mail.outbox[0].body).group(1)

    assert client.post(link.replace("/link/", "/link/x")).status_code == 410
    assert "_auth_user_id" not in client.session


def test_a_link_expires_after_fifteen_minutes(make_person):
    make_person("victim@example.org")
    attack("victim@example.org")
    client = browser()
    log_in(client, "victim@example.org", PASSWORD)
    link = LINK.search(mail.outbox[0].body).group(1)

    with mock.patch("django.core.signing.time.time", return_value=time.time() + 16 * 60):
        response = client.post(link)

    assert response.status_code == 410 and "_auth_user_id" not in client.session


def test_staff_still_need_their_second_factor_after_the_link(make_person, organisation, with_totp):
    hr = make_person("hr@example.org")
    Membership.objects.create(person=hr, organisation=organisation, role="hr", status="active")
    code = with_totp(hr)
    attack("hr@example.org")
    client = browser()
    log_in(client, "hr@example.org", PASSWORD)
    link = LINK.search(mail.outbox[0].body).group(1)

    response = client.post(link)

    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/authenticate/")
    assert "_auth_user_id" not in client.session
    assert client.get("/organisations/acme-servizi/people/").status_code == 302
    finished = client.post("/accounts/2fa/authenticate/", {"code": code()})
    assert finished.status_code == 302 and client.session["_auth_user_id"] == str(hr.pk)
    assert client.get("/organisations/acme-servizi/people/").status_code == 200


def test_below_the_ceiling_a_login_needs_no_link(make_person):
    make_person("victim@example.org")
    for n in range(5):
        Client(REMOTE_ADDR=f"203.0.113.{n + 1}").post(
            "/accounts/login/", {"login": "victim@example.org", "password": "guess"}
        )

    response = log_in(browser(), "victim@example.org", PASSWORD)

    assert response.status_code == 302 and mail.outbox == []


def test_one_network_past_its_own_limit_gets_no_link(make_person):
    """The per-network limit (10 failures a minute, whatever the account) is not the account's ceiling: a
    network that reached it gets allauth's refusal, and no link."""
    make_person("victim@example.org")
    attack("victim@example.org")
    client = browser("192.0.2.9")
    for n in range(10):
        log_in(client, f"someone{n}@example.org", "guess")

    response = log_in(client, "victim@example.org", PASSWORD)

    assert mail.outbox == [] and "Too many failed login attempts" in response.content.decode()
