"""Every URL that names an object, for every kind of visitor: who gets it, who is refused."""

from collections import defaultdict
from datetime import date, timedelta
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import get_resolver, resolve
from django.utils import timezone

from apps.accounts.login_link import link_token
from apps.accounts.models import Invitation, InvitationBatch, Membership, PersonalPhone, Union, UnionMandate
from apps.accounts.services.invitations import invitation_token
from apps.breaches.models import Breach, DatasetImport, Organisation
from apps.notices.preferences import unsubscribe_token
from apps.phones.hashing import email_digest, phone_digest
from apps.reports.models import Brand, CallerNumber, ContactReport, NumberDispute

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
    invitation = Invitation.objects.create(
        organisation=organisation,
        batch=batch,
        email_digest=email_digest(owner.email),
        email=owner.email,
        status=Invitation.Status.SENT,
    )
    breach = Breach.objects.create(
        organisation=organisation, title="Staff archive", slug="staff-archive", occurred_on=date(2024, 11, 15)
    )
    sensitive = Breach.objects.create(
        organisation=organisation, title="Clinic", slug="clinic", occurred_on=date(2024, 1, 1), is_sensitive=True
    )
    dataset_import = DatasetImport.objects.create(breach=breach, original_name="leak.csv", status="succeeded")
    # Rows made directly, not through report_submit(): this file is about who may open them.
    number = CallerNumber.objects.create(e164="+2348031234567", country="NG", valid=True, possible=True)
    report = ContactReport.objects.create(
        reporter=owner,
        contributor=owner.pk,
        caller=number,
        channel="call",
        occurred_at=timezone.now() - timedelta(hours=1),
    )
    dispute = NumberDispute.objects.create(caller=number, who="Acme call centre", reason="We are the bank.")
    people = {
        "owner": owner,
        "other_member": make_person("other@example.org"),
        "hr_same": hr_same,
        "hr_other": hr_other,
        "union": union_rep,
        "officer": officer,
        "anonymous": None,
    }
    return {
        "people": people,
        "ids": {
            "phone": phone.pk,
            "org": organisation.slug,
            "other_org": other_org.slug,
            "batch": batch.pk,
            "request": request.pk,
            "invitation": invitation_token(invitation),
            "invitation_id": invitation.pk,
            "login_link": link_token(owner, "a-nonce-no-session-holds"),
            "unsubscribe": unsubscribe_token(owner, "breach_match"),
            "breach": breach.slug,
            "sensitive": sensitive.slug,
            "import": dataset_import.pk,
            "number": number.e164,
            "report": report.pk,
            "dispute": dispute.pk,
            "brand": Brand.objects.get_or_create(
                slug="acme-bank", defaults={"name_it": "Acme Banca", "name_en": "Acme Bank"}
            )[0].slug,
        },
    }


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
    # HR's invitations: an empty single-address form is answered with its field error (400).
    ("post", "/organisations/{org}/people/invite/", FORBIDDEN, FORBIDDEN, 400, FORBIDDEN, FORBIDDEN, 400, LOGIN),
    ("get", "/organisations/{org}/people/template.csv", FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK, LOGIN),
    (
        "post",
        "/organisations/{org}/invitations/{invitation_id}/resend/",
        FORBIDDEN,
        FORBIDDEN,
        REDIRECT,
        FORBIDDEN,
        FORBIDDEN,
        REDIRECT,
        LOGIN,
    ),
    (
        "post",
        "/organisations/{other_org}/invitations/{invitation_id}/resend/",
        *[FORBIDDEN] * 3,
        NOT_FOUND,
        FORBIDDEN,
        NOT_FOUND,
        LOGIN,
    ),
    ("post", "/organisations/{org}/join/", REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, LOGIN),
    ("get", "/organisations/{other_org}/people/", FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK, LOGIN),
    # The invitation was sent to the owner's address: nobody else holding the link may use it.
    ("get", "/invitations/{invitation}/", OK, *[FORBIDDEN] * 5, OK),  # anonymous: asked to sign up or log in
    ("post", "/invitations/{invitation}/", REDIRECT, *[FORBIDDEN] * 5, OK),
    # A report is seen again only by the person who made it; officers moderate it from their own pages.
    ("get", "/report/{report}/", OK, *[NOT_FOUND] * 5, LOGIN),
    ("get", "/report/{report}/correct/", OK, *[NOT_FOUND] * 5, LOGIN),
    ("post", "/report/{report}/correct/", OK, *[NOT_FOUND] * 5, LOGIN),  # owner: the form, with its errors
    ("post", "/report/{report}/delete/", REDIRECT, *[NOT_FOUND] * 5, LOGIN),
    ("get", "/api/v1/reports/{report}/", OK, *[NOT_FOUND] * 5, 401),  # anonymous: asked for a token
    ("delete", "/api/v1/reports/{report}/", 204, *[NOT_FOUND] * 5, 401),
    # Breaches: anyone may declare themselves in a public breach without a dataset, nobody in a sensitive one,
    # whose existence is never revealed.
    ("post", "/me/breaches/{breach}/declare/", *[REDIRECT] * 6, LOGIN),
    ("post", "/me/breaches/{sensitive}/declare/", *[NOT_FOUND] * 6, LOGIN),
    ("get", "/breaches/{sensitive}/", *[NOT_FOUND] * 7),
    # A caller number below the public threshold has no public page, in HTML or JSON.
    ("get", "/numbers/{number}/", *[NOT_FOUND] * 7),
    ("get", "/numbers/{number}/dispute/", *[NOT_FOUND] * 7),
    ("get", "/api/v1/numbers/{number}/", *[NOT_FOUND] * 7),
    ("get", "/api/v1/breaches/{sensitive}/blocklist.csv", *[NOT_FOUND] * 7),
    ("get", "/api/v1/breaches/{sensitive}/blocklist.vcf", *[NOT_FOUND] * 7),
    # Case officers' pages, with two-factor authentication: nobody else, whatever their role.
    ("get", "/officers/breaches/{breach}/edit/", *[FORBIDDEN] * 5, OK, LOGIN),
    ("get", "/officers/breaches/{breach}/import/", *[FORBIDDEN] * 5, OK, LOGIN),
    ("get", "/officers/imports/{import}/", *[FORBIDDEN] * 5, OK, LOGIN),
    ("post", "/officers/reports/{report}/hide/", *[FORBIDDEN] * 5, REDIRECT, LOGIN),
    ("get", "/officers/numbers/{number}/", *[FORBIDDEN] * 5, OK, LOGIN),
    ("post", "/officers/numbers/{number}/allowlist/", *[FORBIDDEN] * 5, REDIRECT, LOGIN),
    ("post", "/officers/disputes/{dispute}/resolve/", *[FORBIDDEN] * 5, REDIRECT, LOGIN),
    ("get", "/officers/brands/{brand}/edit/", *[FORBIDDEN] * 5, OK, LOGIN),
    ("get", "/officers/evidence/", *[FORBIDDEN] * 5, OK, LOGIN),
    ("get", "/officers/evidence/{breach}/", *[FORBIDDEN] * 5, OK, LOGIN),
    ("post", "/officers/evidence/{breach}/recompute/", *[FORBIDDEN] * 5, REDIRECT, LOGIN),
    # Statistics: the organisation's dashboard for its HR, the union covering it and officers (with fewer than
    # K registered people it explains why it shows no figures, and there is no CSV to export).
    ("get", "/dashboards/{org}/", FORBIDDEN, FORBIDDEN, OK, NOT_FOUND, OK, OK, LOGIN),
    ("get", "/dashboards/{other_org}/", FORBIDDEN, FORBIDDEN, NOT_FOUND, OK, NOT_FOUND, OK, LOGIN),
    ("get", "/dashboards/{org}/export.csv", FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, LOGIN),
    ("get", "/breaches/{breach}/statistics.csv", *[OK] * 7),
    ("get", "/breaches/{sensitive}/statistics.csv", *[NOT_FOUND] * 7),
    ("get", "/api/v1/breaches/{breach}/stats/", *[OK] * 7),
    ("get", "/api/v1/breaches/{sensitive}/stats/", *[NOT_FOUND] * 7),
    ("get", "/api/v1/breaches/{breach}/evidence/", *[OK] * 7),
    ("get", "/api/v1/breaches/{sensitive}/evidence/", *[NOT_FOUND] * 7),
    # The e-mailed link that lets a staff role's session enrol a second factor: only its account's, and current.
    ("get", "/accounts/2fa/enrol/forged-link/", *[410] * 6, LOGIN),
    # The owner's link past the failed-login ceiling logs in only the session that typed the password: none
    # here (whoever is logged in already is sent to their own page).
    ("get", "/accounts/login/link/{login_link}/", *[REDIRECT] * 6, 410),
    ("post", "/accounts/login/link/{login_link}/", *[REDIRECT] * 6, 410),
    # An alert's unsubscribe link: the signed token is the authority (RFC 8058: no login, no CSRF token), and it
    # can only turn the owner's one alert off; a GET only asks.
    ("get", "/alerts/unsubscribe/{unsubscribe}/", *[OK] * 7),
    ("post", "/alerts/unsubscribe/{unsubscribe}/", *[OK] * 7),
]
ROLES = ["owner", "other_member", "hr_same", "hr_other", "union", "officer", "anonymous"]


@pytest.mark.parametrize("row", MATRIX, ids=[f"{m} {t}" for m, t, *_ in MATRIX])
@pytest.mark.parametrize("role", ROLES)
def test_each_object_url_answers_each_role_as_intended(world, row, role):
    method, template, *expected = row
    url = template.format(**world["ids"])

    assert status_for(world["people"][role], method, url) == expected[ROLES.index(role)]


def test_staff_roles_without_two_factor_are_sent_to_set_it_up(make_person, organisation, client):
    hr = make_person("hr@example.org")
    Membership.objects.create(person=hr, organisation=organisation, role=Membership.Role.HR)
    client.force_login(hr)

    response = client.get(f"/organisations/{organisation.slug}/people/")

    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/enrol/"  # first, the e-mailed link


def test_the_admin_needs_an_officer_with_two_factor(make_person, with_totp):
    officer = make_person("officer@example.org", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(officer)

    final_url = unquote(client.get("/admin/", follow=True).redirect_chain[-1][0])
    assert final_url == "/accounts/2fa/enrol/?next=/admin/"  # a staff role first gets the e-mailed link
    with_totp(officer)
    # This session logged in before the account enrolled: it must show a code first.
    assert "/accounts/2fa/reauthenticate/" in unquote(client.get("/admin/", follow=True).redirect_chain[-1][0])
    client.force_login(officer)  # a login with the code
    assert client.get("/admin/").status_code == 200
    client.force_login(make_person("member@example.org"))
    assert client.get("/admin/", follow=True).status_code == 403  # via /admin/login/, which refuses members


def our_views_taking_an_object():
    """The view names of every URL of our apps with a parameter (an id, a slug, a number, a token)."""

    def walk(resolver, namespace=""):
        for entry in resolver.url_patterns:
            if hasattr(entry, "url_patterns"):
                yield from walk(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
            elif entry.pattern.regex.groups and entry.callback.__module__.startswith("apps."):
                yield entry.callback.__module__, namespace + entry.name

    return {name for _module, name in walk(get_resolver())}


def test_the_matrix_covers_every_url_that_takes_an_object():
    any_id = defaultdict(lambda: "1")  # an id, a slug, a number and a token alike for the resolver
    covered = {resolve(template.format_map(any_id)).view_name for _method, template, *_ in MATRIX}

    assert our_views_taking_an_object() - covered == set()
