"""Every URL that names an object, for every kind of visitor: who gets it, who is refused."""

from urllib.parse import unquote

import pytest
from django.test import Client

from apps.accounts.models import InvitationBatch, Membership, PersonalPhone, Union, UnionMandate
from apps.breaches.models import Organisation
from apps.phones.hashing import phone_digest

pytestmark = pytest.mark.django_db

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
LOGIN = "login"  # anonymous: sent to the login page


@pytest.fixture
def world(make_person, organisation, with_totp):
    other_org = Organisation.objects.create(name="Other Org", slug="other-org")
    owner = make_person("owner@example.org")
    Membership.objects.create(person=owner, organisation=organisation)
    request = Membership.objects.create(
        person=make_person("asker@example.org"),
        organisation=organisation,
        status=Membership.Status.REQUESTED,
        source=Membership.Source.REQUEST,
    )
    phone = PersonalPhone.objects.create(person=owner, digest=phone_digest("+393331112222"), number="+393331112222")
    hr_same, hr_other, union_rep, officer = (make_person(f"{n}@example.org") for n in ("hr", "hr2", "union", "officer"))
    Membership.objects.create(person=hr_same, organisation=organisation, role=Membership.Role.HR)
    Membership.objects.create(person=hr_other, organisation=other_org, role=Membership.Role.HR)
    mandate = UnionMandate.objects.create(representative=union_rep, union=Union.objects.create(name="U", slug="u"))
    mandate.organisations.add(organisation)
    officer.is_staff = True
    officer.save()
    for staff in (hr_same, hr_other, union_rep, officer):
        with_totp(staff)
    batch = InvitationBatch.objects.create(organisation=organisation, uploaded_by=hr_same)
    people = {
        "owner": owner,
        "other_member": make_person("other@example.org"),
        "hr_same": hr_same,
        "hr_other": hr_other,
        "union": union_rep,
        "officer": officer,
        "anonymous": None,
    }
    return {"people": people, "phone": phone, "org": organisation, "batch": batch, "request": request}


def status_for(person, method: str, url: str) -> int | str:
    client = Client()
    if person is not None:
        client.force_login(person)
        # force_login skips allauth's second-factor stage, exactly like a completed TOTP login.
    response = getattr(client, method)(url)
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return LOGIN
    return response.status_code


MATRIX = [
    # (method, url template, owner, other_member, hr_same, hr_other, union, officer, anonymous)
    ("get", "/me/phones/{phone}/verify/", OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, LOGIN),
    ("post", "/me/phones/{phone}/resend/", REDIRECT, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, LOGIN),
    ("post", "/me/phones/{phone}/remove/", REDIRECT, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, LOGIN),
    ("get", "/organisations/{org}/people/", FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK, LOGIN),
    ("get", "/organisations/{org}/invitations/{batch}/", FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK, LOGIN),
    (
        "post",
        "/organisations/{org}/people/{request}/decide/",
        FORBIDDEN,
        FORBIDDEN,
        REDIRECT,
        FORBIDDEN,
        FORBIDDEN,
        REDIRECT,
        LOGIN,
    ),
    ("get", "/officers/audit/", FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, LOGIN),
]
ROLES = ["owner", "other_member", "hr_same", "hr_other", "union", "officer", "anonymous"]


@pytest.mark.parametrize("row", MATRIX, ids=[f"{m} {t}" for m, t, *_ in MATRIX])
@pytest.mark.parametrize("role", ROLES)
def test_each_object_url_answers_each_role_as_intended(world, row, role):
    method, template, *expected = row
    url = template.format(
        phone=world["phone"].pk, org=world["org"].slug, batch=world["batch"].pk, request=world["request"].pk
    )

    assert status_for(world["people"][role], method, url) == expected[ROLES.index(role)]


def test_staff_roles_without_two_factor_are_sent_to_set_it_up(make_person, organisation, client):
    hr = make_person("hr@example.org")
    Membership.objects.create(person=hr, organisation=organisation, role=Membership.Role.HR)
    client.force_login(hr)

    response = client.get(f"/organisations/{organisation.slug}/people/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/totp/activate")


def test_the_admin_needs_an_officer_with_two_factor(make_person, with_totp):
    officer = make_person("officer@example.org", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(officer)

    final_url = unquote(client.get("/admin/", follow=True).redirect_chain[-1][0])
    assert "/accounts/2fa/totp/activate" in final_url  # possibly behind allauth's "confirm your password"
    with_totp(officer)
    assert client.get("/admin/").status_code == 200
    client.force_login(make_person("member@example.org"))
    assert client.get("/admin/", follow=True).status_code == 403  # via /admin/login/, which refuses members
