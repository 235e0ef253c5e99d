"""The person's side of the registry: matching after verification, declarations, and what is never revealed."""

import re
from datetime import date

import pytest
from django.urls import get_resolver

from apps.accounts.models import Membership
from apps.accounts.services.invitations import invitation_accept, invitation_batch_create, invitation_token
from apps.accounts.services.phones import phone_add, phone_verify
from apps.breaches.models import Breach, ExposedIdentifier, Exposure
from apps.phones.hashing import email_digest, phone_digest

pytestmark = pytest.mark.django_db


def hold(breach, *, phone=None, email=None):
    if phone:
        ExposedIdentifier.objects.create(breach=breach, kind="phone", digest=phone_digest(phone))
    if email:
        ExposedIdentifier.objects.create(breach=breach, kind="email", digest=email_digest(email))


def verify(person, number, sms_outbox):
    phone = phone_add(person=person, raw_number=number)
    return phone_verify(phone=phone, code=re.search(r"\d{6}", sms_outbox[-1].text).group())


def test_verifying_a_leaked_phone_links_the_person_and_writes_to_them(
    breach, make_person, sms_outbox, mailoutbox, django_capture_on_commit_callbacks
):
    hold(breach, phone="+393331234567")
    person = make_person("luca@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        verify(person, "333 123 4567", sms_outbox)

    exposure = Exposure.objects.get(person=person)
    assert (exposure.breach, exposure.established) == (breach, "dataset_match")
    assert mailoutbox[-1].to == ["luca@example.org"] and "Contest archive" in mailoutbox[-1].subject


def test_the_verify_page_answers_the_same_whether_or_not_the_number_leaked(
    breach, make_person, sms_outbox, client, django_capture_on_commit_callbacks
):
    from django.contrib.messages import get_messages

    hold(breach, phone="+393331234567")
    answers = []
    for email, number in (("in@example.org", "333 123 4567"), ("out@example.org", "333 765 4321")):
        person = make_person(email)
        client.force_login(person)
        client.post("/me/phones/add/", {"number": number})
        phone = person.phones.get()
        code = re.search(r"\d{6}", sms_outbox[-1].text).group()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = client.post(f"/me/phones/{phone.pk}/verify/", {"code": code}, HTTP_ACCEPT_LANGUAGE="en")
        flashed = [str(m) for m in get_messages(response.wsgi_request)]
        answers.append((response.status_code, response["Location"], flashed[-1:], len(callbacks)))

    # Same status, same redirect, same message, same deferred work: matching runs after the answer.
    assert answers[0] == answers[1]
    assert answers[0][:3] == (302, "/me/", ["Number verified. We will tell you if it appears in a registered breach."])


def test_a_confirmed_login_email_that_leaked_is_matched(breach, make_person, django_capture_on_commit_callbacks):
    from allauth.account.models import EmailAddress
    from allauth.account.signals import email_confirmed

    hold(breach, email="giulia@example.org")
    person = make_person("giulia@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        email_confirmed.send(sender=EmailAddress, request=None, email_address=EmailAddress.objects.get(user=person))

    assert Exposure.objects.filter(person=person, established="dataset_match").exists()


def test_joining_by_invitation_links_the_person_to_the_organisations_breaches(
    breach, make_person, django_capture_on_commit_callbacks
):
    person = make_person("invited@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        batch = invitation_batch_create(
            organisation=breach.organisation,
            uploaded_by=make_person("hr@example.org"),
            emails=["invited@example.org"],
            skipped=[],
        )
        invitation_accept(token=invitation_token(batch.invitations.get()), person=person)

    assert Membership.objects.filter(person=person, organisation=breach.organisation).exists()
    assert Exposure.objects.filter(person=person, breach=breach, established="invitation").exists()


def test_people_declare_breaches_that_have_no_dataset_and_both_kinds_stay_distinct(breach, make_person, client):
    other = Breach.objects.create(
        organisation=breach.organisation, title="Old leak", slug="old-leak", occurred_on=date(2020, 1, 1)
    )
    hold(breach, phone="+393331234567")  # has a dataset: cannot be declared, only matched
    person = make_person()
    Exposure.objects.create(person=person, breach=breach, established="dataset_match")
    client.force_login(person)

    page = client.get("/me/breaches/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Old leak" in page and 'action="/me/breaches/contest-archive/declare/"' not in page
    assert client.post("/me/breaches/contest-archive/declare/").status_code == 404
    client.post("/me/breaches/old-leak/declare/")

    assert set(Exposure.objects.filter(person=person).values_list("breach__slug", "established")) == {
        ("contest-archive", "dataset_match"),
        ("old-leak", "self_declared"),
    }
    page = client.get("/me/breaches/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "a verified identifier is in the dataset" in page and "declared by the person" in page
    assert other.slug in page


def test_a_sensitive_breach_is_never_public_but_shown_to_its_verified_member(breach, make_person, client):
    breach.is_sensitive = True
    breach.save()
    person = make_person()
    Exposure.objects.create(person=person, breach=breach, established="dataset_match")

    assert client.get("/breaches/contest-archive/").status_code == 404
    assert "Contest archive" not in client.get("/breaches/").content.decode()
    assert client.get("/api/v1/breaches/").json()["results"] == []
    client.force_login(person)
    assert "Contest archive" in client.get("/me/breaches/").content.decode()


def test_no_url_takes_a_hash_or_a_hash_prefix():
    patterns = [str(p.pattern) for p in get_resolver().url_patterns]

    def walk(resolver, prefix=""):
        for entry in resolver.url_patterns:
            if hasattr(entry, "url_patterns"):
                yield from walk(entry, prefix + str(entry.pattern))
            else:
                yield prefix + str(entry.pattern)

    every = list(walk(get_resolver()))
    assert patterns and every
    assert not [p for p in every if re.search(r"hash|digest|prefix|sha", p, re.I)]


def test_an_import_finds_and_tells_people_who_registered_before_it(
    breach, make_person, sms_outbox, mailoutbox, write_csv, django_capture_on_commit_callbacks
):
    from apps.breaches.services import import_exposures

    early = make_person("early@example.org")
    verify(early, "+39 333 555 0001", sms_outbox)
    bystander = make_person("bystander@example.org")
    verify(bystander, "+39 333 555 0002", sms_outbox)
    leak = write_csv([["Nome", "Cellulare", "Email"], ["Ada", "3335550001", "someone@example.org"]])

    with django_capture_on_commit_callbacks(execute=True):
        import_exposures(breach=breach, path=leak)

    assert list(Exposure.objects.values_list("person__email", flat=True)) == ["early@example.org"]
    assert [m.to for m in mailoutbox] == [["early@example.org"]]
