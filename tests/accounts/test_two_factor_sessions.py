"""Two-factor authentication belongs to the session: the attacks a password alone used to allow."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client

from apps.accounts.models import Membership
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PEOPLE_PAGE = "/organisations/acme-servizi/people/"


@pytest.fixture(autouse=True)
def _clean_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def hr(make_person, organisation):
    person = make_person("hr@example.org")
    Membership.objects.create(person=person, organisation=organisation, role="hr", status="active")
    return person


def logged_in_with_password(email="hr@example.org") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302, "the password login went through"
    return client


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def open_the_emailed_link(client) -> None:
    client.post("/accounts/2fa/enrol/")
    link = re.search(re.escape(settings.SITE_URL) + r"(/accounts/2fa/enrol/[^/\s]+/)", mail.outbox[-1].body).group(1)
    assert client.get(link).status_code == 302


def enrol(client):
    """Scan the QR code and type the app's code, as the person would."""
    page = client.get("/accounts/2fa/totp/activate/")
    if page.status_code == 302 and page["Location"].startswith("/accounts/reauthenticate/"):
        client.post(page["Location"], {"password": PASSWORD})  # allauth asks for the password once more
        page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200, page.get("Location")
    secret = page.context["form"].secret
    return client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)}), secret


def test_a_password_only_session_opened_before_enrolment_cannot_reach_staff_pages(hr, with_totp):
    attacker = logged_in_with_password()  # opened with the password alone, before the owner enrolled
    with_totp(hr)  # the owner enrols (elsewhere, in a way that does not end other sessions)

    response = attacker.get(PEOPLE_PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/?next=")
    assert attacker.get("/officers/audit/").status_code in (302, 403)


def test_a_staff_roles_first_enrolment_needs_the_emailed_link(hr):
    attacker = logged_in_with_password()

    assert attacker.get(PEOPLE_PAGE)["Location"] == "/accounts/2fa/enrol/"
    assert attacker.get("/accounts/2fa/totp/activate/")["Location"] == "/accounts/2fa/enrol/"
    posted = attacker.post("/accounts/2fa/totp/activate/", {"code": "123456"})
    assert posted.status_code == 302 and posted["Location"] == "/accounts/2fa/enrol/"
    assert not Authenticator.objects.filter(user=hr).exists()

    attacker.post("/accounts/2fa/enrol/")
    assert [m.to for m in mail.outbox] == [["hr@example.org"]]  # the link goes to the owner, not to the session
    assert "someone knows your password" in mail.outbox[0].body


def test_the_link_works_only_for_its_account(hr, make_person):
    owner = logged_in_with_password()
    owner.post("/accounts/2fa/enrol/")
    link = re.search(re.escape(settings.SITE_URL) + r"(/accounts/2fa/enrol/[^/\s]+/)", mail.outbox[-1].body).group(1)
    make_person("other@example.org")
    other = logged_in_with_password("other@example.org")

    assert other.get(link).status_code == 410
    assert other.get("/accounts/2fa/enrol/forged/").status_code == 410


def test_enrolling_ends_the_other_sessions_and_lands_on_the_page_asked_for(hr):
    attacker = logged_in_with_password()
    owner = logged_in_with_password()
    assert owner.get(PEOPLE_PAGE)["Location"] == "/accounts/2fa/enrol/"
    open_the_emailed_link(owner)

    enrolled, _ = enrol(owner)

    assert enrolled.status_code == 302 and enrolled["Location"] == PEOPLE_PAGE
    assert owner.get(PEOPLE_PAGE).status_code == 200  # this session showed a code: it passed the second factor
    gone = attacker.get(PEOPLE_PAGE)
    assert gone.status_code == 302 and gone["Location"].startswith("/accounts/login/")
    assert attacker.get("/me/")["Location"].startswith("/accounts/login/")  # logged out everywhere else


def test_the_link_cannot_be_used_again_after_enrolling(hr):
    owner = logged_in_with_password()
    owner.post("/accounts/2fa/enrol/")
    link = re.search(re.escape(settings.SITE_URL) + r"(/accounts/2fa/enrol/[^/\s]+/)", mail.outbox[-1].body).group(1)
    owner.get(link)
    enrol(owner)

    assert owner.get(link).status_code == 410


def test_a_login_with_the_code_reaches_staff_pages(hr, with_totp):
    code = with_totp(hr)
    client = Client()
    client.post("/accounts/login/", {"login": "hr@example.org", "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": code()})

    assert client.get(PEOPLE_PAGE).status_code == 200


def test_an_old_session_regains_access_by_typing_a_code(hr, with_totp):
    client = logged_in_with_password()
    code = with_totp(hr)
    client.get(PEOPLE_PAGE)

    response = client.post(f"/accounts/2fa/reauthenticate/?next={PEOPLE_PAGE}", {"code": code()})

    assert response["Location"] == PEOPLE_PAGE
    assert client.get(PEOPLE_PAGE).status_code == 200


def test_the_activation_page_links_to_the_authenticator_app_on_the_same_phone(hr):
    owner = logged_in_with_password()
    open_the_emailed_link(owner)

    owner.post("/accounts/reauthenticate/", {"password": PASSWORD})
    page = owner.get("/accounts/2fa/totp/activate/").content.decode()

    link = re.search(r'href="(otpauth://totp/[^"]+)"', page)
    assert link and "secret=" in link.group(1) and "issuer=BreachWatch" in link.group(1)


def test_a_member_without_a_staff_role_enrols_without_the_link(make_person):
    make_person("member@example.org")
    member = logged_in_with_password("member@example.org")

    enrolled, _ = enrol(member)

    assert enrolled.status_code == 302
    assert Authenticator.objects.filter(user__email="member@example.org", type="totp").exists()
    assert not any("Confirm that you are setting up" in m.subject for m in mail.outbox)
