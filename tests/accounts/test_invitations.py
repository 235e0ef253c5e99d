import io

import pytest
from django.core import signing

from apps.accounts.models import Invitation, InvitationBatch, Membership
from apps.accounts.services.invitation_csv import InvitationCsvError, parse_invitation_csv
from apps.accounts.services.invitations import (
    InvitationError,
    invitation_accept,
    invitation_batch_create,
    invitation_token,
)


def upload(data: bytes):
    return io.BytesIO(data)


def test_csv_with_semicolons_latin1_and_an_italian_header_is_read():
    parsed = parse_invitation_csv(upload("Nome;Posta elettronica\nRenè;Rene@Example.org\n".encode("cp1252")))

    assert parsed.emails == ["rene@example.org"] and parsed.skipped == []


def test_duplicates_and_invalid_rows_are_skipped_with_their_line_numbers():
    data = b"email\na@example.org\nnot-an-address\nA@example.org \n\nb@example.org\n"

    parsed = parse_invitation_csv(upload(data))

    assert parsed.emails == ["a@example.org", "b@example.org"]
    assert [row["line"] for row in parsed.skipped] == [3, 4]
    assert parsed.skipped[0]["reason"] == "not a valid e-mail address"
    assert parsed.skipped[1]["reason"] == "duplicate of line 2"
    assert all("@" not in row["reason"] for row in parsed.skipped)  # reasons never quote the address


def test_a_bare_list_without_header_is_accepted():
    assert parse_invitation_csv(upload(b"a@example.org\nb@example.org\n")).emails == ["a@example.org", "b@example.org"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (
            b"name,surname\nLuca,Rossi\n",
            "No e-mail column found. The columns are: \u201cname\u201d, \u201csurname\u201d",
        ),
        ("email\na@example.org\n".encode("utf-16"), "not a CSV text file"),
        (b"email\n" + b"".join(b"p%d@example.org\n" % i for i in range(50_000)), "more than 10,000 rows"),
        (b"email\n" + b"x" * 3 * 1024 * 1024, "larger than 2 MB"),
        (b"email\nnope\n", "no valid e-mail address"),
    ],
)
def test_unusable_files_are_refused_with_a_clear_message(data, message):
    with pytest.raises(InvitationCsvError) as error:
        parse_invitation_csv(upload(data))

    assert message in str(error.value)


@pytest.mark.django_db
def test_a_batch_is_sent_by_the_task_with_progress_and_no_address_in_clear(
    make_person, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    hr = make_person("hr@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        batch = invitation_batch_create(
            organisation=organisation, uploaded_by=hr, emails=["a@example.org", "b@example.org"], skipped=[]
        )
    batch.refresh_from_db()

    assert (batch.status, batch.total, batch.sent, batch.percent) == (InvitationBatch.Status.DONE, 2, 2, 100)
    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.org", "b@example.org"]
    assert "/invitations/" in mailoutbox[0].body
    stored = Invitation.objects.values_list("email", flat=True)
    assert sorted(stored) == ["a@example.org", "b@example.org"]  # decrypted by the field...
    raw = Invitation.objects.values_list("email_digest", flat=True)
    assert all(b"example.org" not in bytes(d) for d in raw)  # ...while the lookup column is a keyed hash


@pytest.mark.django_db
def test_addresses_already_invited_are_not_invited_again(
    make_person, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    hr = make_person("hr@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        invitation_batch_create(organisation=organisation, uploaded_by=hr, emails=["a@example.org"], skipped=[])
        batch = invitation_batch_create(
            organisation=organisation, uploaded_by=hr, emails=["a@example.org", "c@example.org"], skipped=[]
        )

    assert batch.total == 1 and len(mailoutbox) == 2
    assert "1 already invited" in batch.skipped_rows[-1]["reason"]


@pytest.fixture
def invitation(db, make_person, organisation):
    batch = invitation_batch_create(
        organisation=organisation, uploaded_by=make_person("hr@example.org"), emails=["new@example.org"], skipped=[]
    )
    return batch.invitations.get()


def test_an_invitation_link_joins_once(invitation, make_person):
    person = make_person("new@example.org")
    token = invitation_token(invitation)

    membership = invitation_accept(token=token, person=person)

    assert membership.status == Membership.Status.ACTIVE and membership.source == Membership.Source.INVITATION
    invitation.refresh_from_db()
    assert invitation.email is None  # not needed any more
    with pytest.raises(InvitationError) as error:
        invitation_accept(token=token, person=make_person("someone@example.org"))
    assert error.value.code == "used"


def test_a_tampered_or_expired_link_is_refused(invitation, make_person, settings):
    person = make_person()
    with pytest.raises(InvitationError) as error:
        invitation_accept(token=invitation_token(invitation) + "x", person=person)
    assert error.value.code == "bad"

    old = signing.dumps({"i": invitation.pk}, salt="breachwatch.invitation", compress=True)
    import time

    real_time = time.time
    try:
        time.time = lambda: real_time() + 15 * 86400
        with pytest.raises(InvitationError) as error:
            invitation_accept(token=old, person=person)
    finally:
        time.time = real_time
    assert error.value.code == "expired"


def test_an_invitation_link_joins_only_the_person_it_was_sent_to(invitation, make_person):
    token = invitation_token(invitation)
    holder = make_person("forwarded.to@example.org")  # a forwarded mail, a shared screen

    with pytest.raises(InvitationError) as error:
        invitation_accept(token=token, person=holder)

    assert error.value.code == "not_for_you"
    assert "sent to another e-mail address" in str(error.value.message)
    assert not Membership.objects.filter(person=holder).exists()
    invitation.refresh_from_db()
    assert invitation.status != Invitation.Status.ACCEPTED  # not spent: the invitee can still use it
    assert invitation_accept(token=token, person=make_person("new@example.org")).status == Membership.Status.ACTIVE


def test_the_invited_address_must_be_verified_on_the_account(invitation):
    from apps.accounts.models import User

    unverified = User.objects.create_user("new@example.org", "correct-horse-battery-42")  # no confirmed address

    with pytest.raises(InvitationError) as error:
        invitation_accept(token=invitation_token(invitation), person=unverified)
    assert error.value.code == "not_for_you"


def test_the_invitation_page_tells_another_account_it_is_not_theirs(invitation, make_person, client):
    url = f"/invitations/{invitation_token(invitation)}/"
    client.force_login(make_person("someone.else@example.org"))

    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    joined = client.post(url, HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == joined.status_code == 403
    assert "This invitation was sent to another e-mail address." in page.content.decode()
    assert ">Join</button>" not in page.content.decode()
    assert not Membership.objects.filter(organisation=invitation.organisation, source="invitation").exists()
