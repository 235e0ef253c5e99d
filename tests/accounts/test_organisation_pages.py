import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.accounts.models import AuditEvent, InvitationBatch, Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_client(client, make_person, organisation, with_totp):
    hr = make_person("hr@example.org")
    Membership.objects.create(person=hr, organisation=organisation, role=Membership.Role.HR)
    with_totp(hr)
    client.force_login(hr)
    return client


def test_hr_approves_and_declines_requests_to_join(hr_client, make_person, organisation):
    asking = [make_person(f"ask{n}@example.org") for n in (1, 2)]
    requests = [
        Membership.objects.create(person=p, organisation=organisation, status="requested", source="request")
        for p in asking
    ]
    page = hr_client.get(f"/organisations/{organisation.slug}/people/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "ask1@example.org" in page and "ask2@example.org" in page

    hr_client.post(f"/organisations/{organisation.slug}/people/{requests[0].pk}/decide/", {"decision": "approve"})
    hr_client.post(f"/organisations/{organisation.slug}/people/{requests[1].pk}/decide/", {"decision": "decline"})

    assert Membership.objects.get(pk=requests[0].pk).status == "active"
    assert not Membership.objects.filter(pk=requests[1].pk).exists()
    assert AuditEvent.objects.filter(action="join_decided").count() == 2
    again = hr_client.post(
        f"/organisations/{organisation.slug}/people/{requests[0].pk}/decide/",
        {"decision": "approve"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "already been decided" in again.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty."),
        (b"nome;cognome\nLuca;Rossi\n", "No e-mail column found"),
        ("email\na@b.it\n".encode("utf-16"), "not a CSV text file"),
    ],
)
def test_a_bad_invitation_file_is_a_field_error_not_a_500(hr_client, organisation, content, message):
    upload = SimpleUploadedFile("staff.csv", content, content_type="text/csv")

    response = hr_client.post(
        f"/organisations/{organisation.slug}/people/", {"file": upload}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200 and message in response.content.decode()
    assert not InvitationBatch.objects.exists()


def test_a_good_upload_lists_skipped_lines_on_the_batch_page(hr_client, organisation, mailoutbox):
    upload = SimpleUploadedFile("staff.csv", b"email\na@example.org\nbad\na@example.org\n", content_type="text/csv")

    response = hr_client.post(
        f"/organisations/{organisation.slug}/people/", {"file": upload}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )

    page = response.content.decode()
    assert re.search(r"<td>3</td><td>not a valid e-mail address</td>", page)
    assert re.search(r"<td>4</td><td>duplicate of line 2</td>", page)


def test_password_reset_by_emailed_link(client, make_person, mailoutbox):
    make_person("forgetful@example.org")

    client.post("/accounts/password/reset/", {"email": "forgetful@example.org"})
    link = re.search(r"https?://[^\s]+/accounts/password/reset/key/[^\s]+", mailoutbox[-1].body).group()
    path = "/" + link.split("/", 3)[3]
    form_page = client.get(path, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
        {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"},
    )

    assert response.status_code == 302
    client.logout()
    login = client.post("/accounts/login/", {"login": "forgetful@example.org", "password": "a-brand-new-passphrase"})
    assert login.status_code == 302 and login["Location"] == "/me/"
