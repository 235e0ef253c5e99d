import hashlib
import json

import pytest
from allauth.account.models import EmailAddress

from apps.accounts.models import AuditEvent, Membership, PersonalPhone, User
from apps.accounts.services.invitations import invitation_accept, invitation_batch_create, invitation_token
from apps.accounts.services.phones import phone_add, phone_verify
from apps.breaches.models import Organisation
from tests.conftest import PASSWORD
from tests.dbscan import cells_containing

pytestmark = pytest.mark.django_db(transaction=True)

NUMBER, E164 = "333 765 4321", "+393337654321"


def verified_person_with_everything(make_person, organisation, sms_outbox, with_totp):
    person = make_person("Mario.Rossi@Example.org ")
    phone = phone_add(person=person, raw_number=NUMBER)
    phone_verify(phone=phone, code=sms_outbox[-1].text.split(": ")[1][:6])
    Membership.objects.create(person=person, organisation=organisation)
    with_totp(person)
    return person


def test_personal_numbers_and_emails_are_stored_only_as_keyed_hashes_and_ciphertext(
    make_person, organisation, sms_outbox, with_totp
):
    person = verified_person_with_everything(make_person, organisation, sms_outbox, with_totp)
    invitation_batch_create(organisation=organisation, uploaded_by=person, emails=["invitee@example.org"], skipped=[])

    plain_sha = [hashlib.sha256(v.encode()).hexdigest() for v in (E164, "3337654321", "invitee@example.org")]
    plain_sha_bytes = [hashlib.sha256(v.encode()).digest() for v in (E164, "invitee@example.org")]

    assert cells_containing(E164, "3337654321", "337654321") == []
    assert cells_containing(*plain_sha, *plain_sha_bytes) == []
    assert cells_containing("invitee@example.org") == []
    # The login e-mail is the exception Django and allauth need, and only there.
    assert set(cells_containing("mario.rossi@example.org")) <= {
        ("accounts_user", "email"),
        ("account_emailaddress", "email"),
    }
    assert PersonalPhone.objects.get().number == E164  # the owner can still read it


def test_export_holds_everything_about_the_person(make_person, organisation, sms_outbox, with_totp, client):
    person = verified_person_with_everything(make_person, organisation, sms_outbox, with_totp)
    client.force_login(person)

    response = client.get("/me/export/")

    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == "mario.rossi@example.org" and data["account"]["email_verified"] is True
    assert data["phones"] == [{"number": E164, "label": "", "verified_at": data["phones"][0]["verified_at"]}]
    assert data["organisations"][0]["organisation"] == "Acme Servizi"
    assert AuditEvent.objects.filter(action="data_exported").exists()


def test_export_tells_about_the_api_token_two_factor_and_the_audit_log_without_any_secret(
    make_person, organisation, with_totp, client
):
    from allauth.mfa.models import Authenticator
    from rest_framework.authtoken.models import Token

    person = make_person("hr.person@example.org")
    Membership.objects.create(person=person, organisation=organisation, role=Membership.Role.HR)
    with_totp(person)
    token = Token.objects.create(user=person)
    client.force_login(person)
    client.get(f"/organisations/{organisation.slug}/people/")  # audited: an HR page was viewed
    bystander = make_person("bystander@example.org")
    Membership.objects.create(person=bystander, organisation=organisation, role=Membership.Role.HR)

    response = client.get("/me/export/")
    data = json.loads(response.content)

    assert data["api_token"] == {"exists": True, "created": token.created.isoformat()}
    assert data["two_factor"]["enabled"] is True
    assert [m["type"] for m in data["two_factor"]["methods"]] == ["totp"]
    mine = {(e["action"], e["by_you"]) for e in data["audit_events"]}
    assert ("viewed", True) in mine  # what they did
    assert ("role_granted", False) in mine  # what happened to their account
    assert all(e["target"] != f"user #{bystander.pk}" for e in data["audit_events"])  # nobody else's
    secret = Authenticator.objects.get(user=person).data["secret"]
    assert token.key not in response.content.decode() and secret not in response.content.decode()


def test_export_says_when_there_is_no_token_and_no_second_factor(make_person, client):
    client.force_login(make_person())

    data = json.loads(client.get("/me/export/").content)

    assert data["api_token"] == {"exists": False, "created": None}
    assert data["two_factor"] == {"enabled": False, "methods": []}
    assert data["audit_events"] == []


def test_erasure_removes_personal_data_everywhere(make_person, organisation, sms_outbox, with_totp, client):
    person = verified_person_with_everything(make_person, organisation, sms_outbox, with_totp)
    hr = make_person("hr@example.org")
    # A second employer: the first one's members are not invited again (services.invitations.member_addresses).
    employer = Organisation.objects.create(name="Second employer", slug="second-employer")
    batch = invitation_batch_create(
        organisation=employer, uploaded_by=hr, emails=["mario.rossi@example.org"], skipped=[]
    )
    invitation_accept(token=invitation_token(batch.invitations.get()), person=person)
    client.post("/accounts/login/", {"login": "mario.rossi@example.org", "password": "wrong-password-123"})
    client.force_login(person)

    response = client.post("/me/erase/", {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 302 and response["Location"] == "/goodbye/"
    assert not User.objects.filter(pk=person.pk).exists()
    assert not EmailAddress.objects.filter(email__icontains="mario").exists()
    assert cells_containing("mario.rossi@example.org", E164) == []
    from apps.phones.hashing import email_digest, phone_digest

    assert cells_containing(phone_digest(E164), email_digest("mario.rossi@example.org")) == []
    assert client.get("/me/").status_code == 302  # logged out


def test_erasure_needs_the_password_and_the_confirmation(make_person, client):
    person = make_person()
    client.force_login(person)

    response = client.post("/me/erase/", {"password": "not-it-at-all", "confirm": ""}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert User.objects.filter(pk=person.pk).exists()
    assert "The password is not right." in response.content.decode()
