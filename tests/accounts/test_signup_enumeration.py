"""Sign-up must not tell whether an address already has an account: not by its answer, not by its time."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.core.cache import cache
from django.test import Client

from apps.accounts.models import User

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-horse-battery-77"


@pytest.fixture(autouse=True)
def _clean_rate_limits():
    cache.clear()  # allauth's rate limits (one confirmation mail per address per 10 s) live in the cache
    yield
    cache.clear()


class CountingHasher(MD5PasswordHasher):
    """The work sign-up does: each password hashed (Argon2 in production, ~0.7 s) is counted."""

    algorithm = "counting_md5"
    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.calls = 0
    return CountingHasher


def sign_up(email: str):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.get("/accounts/signup/")
    return client.post(
        "/accounts/signup/", {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True
    )


def without_csrf(response) -> bytes:
    body = response.content.decode()
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value=""', body)
    return body.replace("taken@example.org", "EMAIL").replace("fresh@example.org", "EMAIL").encode()


def test_signing_up_with_a_taken_address_hashes_the_password_as_a_new_one_does(make_person, counting_hasher):
    make_person("taken@example.org")
    counting_hasher.calls = 0
    sign_up("taken@example.org")
    taken = counting_hasher.calls
    counting_hasher.calls = 0
    sign_up("fresh@example.org")

    assert User.objects.filter(email="fresh@example.org").exists()
    assert taken == counting_hasher.calls >= 1


def test_the_answer_is_the_same_page_for_a_taken_and_a_new_address(make_person):
    make_person("taken@example.org")

    taken, fresh = sign_up("taken@example.org"), sign_up("fresh@example.org")

    assert [r[1] for r in taken.redirect_chain] == [r[1] for r in fresh.redirect_chain]
    assert taken.redirect_chain[-1][0] == fresh.redirect_chain[-1][0]
    assert without_csrf(taken) == without_csrf(fresh)


def test_the_owner_of_a_taken_address_is_told_by_mail(make_person):
    make_person("taken@example.org")
    mail.outbox.clear()

    sign_up("taken@example.org")

    assert [m.to for m in mail.outbox] == [["taken@example.org"]]
    body = mail.outbox[0].body
    assert mail.outbox[0].subject.endswith("Someone tried to sign up with your address")
    assert "already has an account" in body
    site = settings.SITE_URL  # links come from SITE_URL, not from the request's Host header
    assert f"{site}/accounts/login/\n" in body and f"{site}/accounts/password/reset/\n" in body
    assert User.objects.filter(email="taken@example.org").count() == 1


def test_the_owner_reads_it_in_their_language_not_the_visitors(make_person):
    make_person("taken@example.org", preferred_language="it")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post(
        "/accounts/signup/", {"email": "taken@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert "Qualcuno ha provato a registrarsi a BreachWatch con il tuo indirizzo" in mail.outbox[-1].body
