import pytest

from apps.accounts.models import AuditEvent, Membership, Union, UnionMandate
from tests.dbscan import cells_containing

pytestmark = pytest.mark.django_db


def test_role_changes_views_and_staff_logins_are_audited_without_emails(make_person, organisation, with_totp, client):
    hr = make_person("hr.person@example.org")
    Membership.objects.create(person=hr, organisation=organisation, role=Membership.Role.HR)
    rep = make_person("rep.person@example.org")
    UnionMandate.objects.create(representative=rep, union=Union.objects.create(name="U", slug="u")).organisations.add(
        organisation
    )
    officer = make_person("officer.person@example.org")
    officer.is_staff = True
    officer.save()
    with_totp(hr)
    client.force_login(hr)
    client.get(f"/organisations/{organisation.slug}/people/")

    actions = list(AuditEvent.objects.order_by("at").values_list("action", "details__role"))
    assert ("role_granted", "hr") in actions and ("role_granted", "union") in actions
    assert ("role_granted", "officer") in actions
    assert AuditEvent.objects.filter(action="viewed", actor=hr, organisation=organisation).exists()
    assert AuditEvent.objects.filter(action="login", actor=hr).exists()
    audit_cells = [
        cell
        for cell in cells_containing("hr.person", "rep.person", "officer.person")
        if cell[0] == "accounts_auditevent"
    ]
    assert audit_cells == []


def test_the_audit_log_page_lists_events_for_officers(make_person, with_totp, client):
    officer = make_person("officer@example.org", is_staff=True)
    with_totp(officer)
    client.force_login(officer)

    page = client.get("/officers/audit/?action=role_granted", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Audit log" in page and "role granted" in page


@pytest.mark.parametrize(
    ("who", "audited"),
    [("hr", True), ("union", True), ("officer", True), ("member", False), ("nobody", False)],
)
def test_failed_logins_are_audited_for_staff_accounts_only_and_never_with_the_address(
    make_person, organisation, who, audited
):
    from django.core.cache import cache
    from django.test import Client

    cache.clear()  # allauth's login rate limits live in the cache
    email = f"{who}.account@example.org"
    if who != "nobody":
        person = make_person(email, is_staff=who == "officer")
        if who == "hr":
            Membership.objects.create(person=person, organisation=organisation, role=Membership.Role.HR)
        if who == "union":
            UnionMandate.objects.create(
                representative=person, union=Union.objects.create(name="U", slug="u")
            ).organisations.add(organisation)

    Client().post("/accounts/login/", {"login": email, "password": "not-the-password-1"})

    failed = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED)
    assert list(failed.values_list("target", flat=True)) == ([f"user #{person.pk}"] if audited else [])
    assert [cell for cell in cells_containing(f"{who}.account") if cell[0] == "accounts_auditevent"] == []
