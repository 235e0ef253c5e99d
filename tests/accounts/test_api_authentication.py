"""How the API knows who is calling: a token (apps/accounts/authentication.py) or a browser's session."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.accounts.authentication import token_user
from apps.accounts.models import User

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/reports/"


def with_token(key: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def post_empty(client: APIClient):
    """An empty report: 400 once the caller is authenticated, 401 or 403 before."""
    return client.post(REPORTS, {}, format="json")


def test_a_known_token_authenticates_its_person(make_person):
    token = Token.objects.create(user=make_person())

    response = post_empty(with_token(token.key))

    assert response.status_code == 400 and "caller_number" in response.json()


def test_an_unknown_token_is_401_with_the_scheme_to_use():
    response = post_empty(with_token("0" * 40))

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}
    assert response["WWW-Authenticate"] == "Token"


def test_a_header_without_a_key_is_401():
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION="Token")

    assert post_empty(client).status_code == 401


def test_a_replaced_token_stops_working_at_once(make_person):
    person = make_person()
    old = Token.objects.create(user=person)
    assert post_empty(with_token(old.key)).status_code == 400

    old.delete()  # what "replace" on /me/api-token/ does before creating the new one
    new = Token.objects.create(user=person)

    assert post_empty(with_token(old.key)).status_code == 401
    assert post_empty(with_token(new.key)).status_code == 400


def test_the_token_of_a_deactivated_account_is_401(make_person):
    person = make_person()
    token = Token.objects.create(user=person)
    person.is_active = False
    person.save()

    response = post_empty(with_token(token.key))

    assert response.status_code == 401 and response.json() == {"detail": "User inactive or deleted."}


def test_the_lookup_reads_the_person_and_the_token_as_the_orm_does(make_person):
    person = make_person(display_name="Anna", preferred_language="it")
    token = Token.objects.create(user=person)

    user, found = token_user(token.key)

    stored = User.objects.get(pk=person.pk)
    assert [getattr(user, f.attname) for f in User._meta.concrete_fields] == [
        getattr(stored, f.attname) for f in User._meta.concrete_fields
    ]
    assert (found.key, found.user_id, found.created) == (token.key, person.pk, Token.objects.get().created)
    assert found.user is user and not user._state.adding
    assert token_user("not-a-token") is None


def test_a_browser_session_must_send_its_csrf_token(make_person):
    """Session authentication keeps Django's CSRF protection on the API: a page on another site cannot make
    a logged-in browser post a report."""
    client = APIClient(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(make_person())

    refused = post_empty(client)
    client.get("/report/")  # any page with a form sets the CSRF cookie
    accepted = client.post(REPORTS, {}, format="json", HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)

    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert accepted.status_code == 400
