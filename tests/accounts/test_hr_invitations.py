"""HR's invitations at real size: each one's state, sending again with a new link, inviting one address, the
CSV template, and what HR learns about addresses that already have an account (only their own members)."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.accounts.models import AuditEvent, Invitation, Membership
from apps.accounts.services.invitation_csv import parse_invitation_csv
from apps.accounts.services.invitations import (
    InvitationError,
    invitation_accept,
    invitation_batch_create,
    invitation_from_token,
    invitation_token,
)
from apps.breaches.models import Organisation

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def hr(make_person, organisation, with_totp):
    person = make_person("hr@acme.example")
    Membership.objects.create(person=person, organisation=organisation, role=Membership.Role.HR)
    with_totp(person)
    return person


@pytest.fixture
def hr_client(client, hr):
    client.force_login(hr)
    return client


@pytest.fixture
def invite(organisation, hr, django_capture_on_commit_callbacks):
    """invite("a@x.org", …) -> the invitations, sent by the task."""

    def do(*emails):
        with django_capture_on_commit_callbacks(execute=True):
            batch = invitation_batch_create(organisation=organisation, uploaded_by=hr, emails=list(emails), skipped=[])
        return list(batch.invitations.order_by("pk"))

    return do


def people_page(client, organisation, **query) -> str:
    return client.get(f"/organisations/{organisation.slug}/people/", query, **EN).content.decode()


def test_each_invitation_is_listed_with_its_state_and_hr_can_show_one_state(
    hr_client, organisation, invite, make_person
):
    sent, old, taken, bounced = invite("sent@x.org", "old@x.org", "taken@x.org", "bounced@x.org")
    Invitation.objects.filter(pk=old.pk).update(sent_at=timezone.now() - timedelta(days=15))
    Invitation.objects.filter(pk=bounced.pk).update(status="failed", sent_at=None)
    invitation_accept(token=invitation_token(taken), person=make_person("taken@x.org"))

    page = people_page(hr_client, organisation)

    for invitation, state in ((sent, "sent"), (old, "expired"), (taken, "accepted"), (bounced, "failed")):
        assert f'id="invitation-{invitation.pk}" data-state="{state}"' in page, state
    assert "sent@x.org" in page and "taken@x.org" not in page  # not kept once accepted
    assert "expired (1)" in page and "accepted (1)" in page
    expired_only = people_page(hr_client, organisation, state="expired")
    assert f'id="invitation-{old.pk}"' in expired_only and f'id="invitation-{sent.pk}"' not in expired_only
    assert people_page(hr_client, organisation, state="<script>").count('data-state="') == 4  # unknown: all


def test_sending_again_mails_a_new_link_and_the_old_link_stops_working(
    hr_client, hr, organisation, invite, mailoutbox, make_person, django_capture_on_commit_callbacks
):
    (invitation,) = invite("late@x.org")
    old_token = invitation_token(invitation)
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now() - timedelta(days=15))

    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post(f"/organisations/{organisation.slug}/invitations/{invitation.pk}/resend/", **EN)

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "sent" and invitation.sent_at > timezone.now() - timedelta(minutes=1)
    assert len(mailoutbox) == 2 and mailoutbox[1].to == ["late@x.org"]
    new_token = invitation_token(invitation)
    assert new_token != old_token and new_token in mailoutbox[1].body
    with pytest.raises(InvitationError) as refused:
        invitation_from_token(old_token)
    assert refused.value.code == "replaced"
    assert invitation_accept(token=new_token, person=make_person("late@x.org")).status == "active"
    assert AuditEvent.objects.filter(action="invitation_resent", actor=hr, organisation=organisation).exists()


def test_an_invitation_cannot_be_sent_again_within_the_hour_or_after_it_was_accepted(
    hr_client, organisation, invite, mailoutbox, make_person
):
    recent, taken = invite("recent@x.org", "taken@x.org")
    invitation_accept(token=invitation_token(taken), person=make_person("taken@x.org"))
    url = f"/organisations/{organisation.slug}/invitations/%d/resend/"

    again = hr_client.post(url % recent.pk, follow=True, **EN).content.decode()
    accepted = hr_client.post(url % taken.pk, follow=True, **EN).content.decode()

    assert "sent less than an hour ago" in again and "was accepted" in accepted
    assert len(mailoutbox) == 2  # only the first sending
    assert invitation_from_token(invitation_token(recent))  # the link in the mail still works


def test_hr_cannot_resend_another_organisation_s_invitation(hr_client, make_person, django_capture_on_commit_callbacks):
    other = Organisation.objects.create(name="Other", slug="other")
    batch = invitation_batch_create(
        organisation=other, uploaded_by=make_person("x@other.example"), emails=["v@x.org"], skipped=[]
    )
    invitation = batch.invitations.get()

    assert hr_client.post(f"/organisations/other/invitations/{invitation.pk}/resend/").status_code == 403
    assert hr_client.post(f"/organisations/acme-servizi/invitations/{invitation.pk}/resend/").status_code == 404


def test_hr_invites_one_address_and_sees_it_sent(
    hr_client, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post(
            f"/organisations/{organisation.slug}/people/invite/", {"email": " Mario.Rossi@X.org "}, **EN
        )

    assert response.status_code == 302 and mailoutbox[0].to == ["mario.rossi@x.org"]
    assert 'data-state="sent"' in people_page(hr_client, organisation)


@pytest.mark.parametrize("email", ["", "not-an-address", "a@b", "x" * 300 + "@x.org"])
def test_a_bad_single_address_is_a_field_error(hr_client, organisation, email, mailoutbox):
    response = hr_client.post(f"/organisations/{organisation.slug}/people/invite/", {"email": email}, **EN)

    assert response.status_code == 400 and 'class="errorlist' in response.content.decode()
    assert mailoutbox == [] and not Invitation.objects.exists()


def test_inviting_a_member_says_so_but_an_account_elsewhere_gets_an_ordinary_invitation(
    hr_client, organisation, make_person, mailoutbox, django_capture_on_commit_callbacks
):
    member = make_person("member@x.org")
    Membership.objects.create(person=member, organisation=organisation)
    make_person("elsewhere@x.org")  # registered on BreachWatch, not linked to this organisation
    url = f"/organisations/{organisation.slug}/people/invite/"

    refused = hr_client.post(url, {"email": "MEMBER@x.org"}, **EN)
    with django_capture_on_commit_callbacks(execute=True):
        registered = hr_client.post(url, {"email": "elsewhere@x.org"}, follow=True, **EN)
        unknown = hr_client.post(url, {"email": "nobody@x.org"}, follow=True, **EN)

    assert refused.status_code == 400
    assert "already a member of this organisation" in refused.content.decode()
    # An account elsewhere is not revealed: the same answer and the same mail as for an unknown address.
    assert registered.status_code == unknown.status_code == 200
    assert registered.redirect_chain == unknown.redirect_chain
    assert "The invitation is on its way." in registered.content.decode()
    assert "already" not in registered.content.decode().split("</h1>")[1].split('id="invite-many"')[0]
    assert sorted(m.to[0] for m in mailoutbox) == ["elsewhere@x.org", "nobody@x.org"]


def test_inviting_an_address_already_invited_points_to_send_again(hr_client, organisation, invite, mailoutbox):
    invite("again@x.org")

    response = hr_client.post(f"/organisations/{organisation.slug}/people/invite/", {"email": "again@x.org"}, **EN)

    assert response.status_code == 400 and "already invited" in response.content.decode()
    assert len(mailoutbox) == 1


def test_a_csv_upload_skips_members_of_this_organisation_and_says_how_many(
    organisation, hr, make_person, mailoutbox, django_capture_on_commit_callbacks
):
    member = make_person("member@x.org")
    Membership.objects.create(person=member, organisation=organisation)
    make_person("elsewhere@x.org")

    with django_capture_on_commit_callbacks(execute=True):
        batch = invitation_batch_create(
            organisation=organisation, uploaded_by=hr, emails=["member@x.org", "elsewhere@x.org"], skipped=[]
        )

    assert batch.total == 1 and [m.to[0] for m in mailoutbox] == ["elsewhere@x.org"]
    assert batch.skipped_rows[-1]["reason"] == "1 already a member of this organisation"
    assert "member@x.org" not in str(batch.skipped_rows)


def test_the_csv_template_downloads_and_reads_back_once_filled(hr_client, organisation, client):
    response = hr_client.get(f"/organisations/{organisation.slug}/people/template.csv")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    filled = response.content + b"mario.rossi@x.org\r\nsara.bianchi@x.org\r\n"
    assert parse_invitation_csv(io.BytesIO(filled)).emails == ["mario.rossi@x.org", "sara.bianchi@x.org"]


def test_members_cannot_use_hr_s_invitation_pages(client, organisation, make_person, invite):
    (invitation,) = invite("x@x.org")
    person = make_person("someone@x.org")
    Membership.objects.create(person=person, organisation=organisation)
    client.force_login(person)
    base = f"/organisations/{organisation.slug}"

    assert client.post(f"{base}/people/invite/", {"email": "a@x.org"}).status_code == 403
    assert client.post(f"{base}/invitations/{invitation.pk}/resend/").status_code == 403
    assert client.get(f"{base}/people/template.csv").status_code == 403
