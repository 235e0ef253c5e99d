"""Alerts through the outbox: the surge alert reaches the organisation's HR and union representatives, in
each one's language, once per onset, with a one-click unsubscribe; members and people who turned it off get
nothing."""

from datetime import date

import pytest
from django.core import mail

from apps.accounts.models import Membership, Union, UnionMandate
from apps.breaches.models import Breach
from apps.insights.signals import surge_detected
from apps.notices.models import AlertOptOut, OutgoingMessage

pytestmark = pytest.mark.django_db
ONSET = {"date": "2024-12-02", "low": "2024-11-28", "high": "2024-12-05"}


@pytest.fixture
def breach(organisation):
    return Breach.objects.create(
        organisation=organisation, title="Archivio concorso", slug="archivio", occurred_on=date(2024, 11, 15)
    )


@pytest.fixture
def representatives(make_person, organisation):
    hr = make_person("hr@example.org", preferred_language="it")
    Membership.objects.create(person=hr, organisation=organisation, role=Membership.Role.HR)
    rep = make_person("rep@example.org", preferred_language="en")
    UnionMandate.objects.create(representative=rep, union=Union.objects.create(name="U", slug="u")).organisations.add(
        organisation
    )
    member = make_person("member@example.org")
    Membership.objects.create(person=member, organisation=organisation)
    return hr, rep


def fire(breach, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        surge_detected.send(sender=Breach, breach=breach, onset=ONSET, evidence=None)


def test_a_surge_alerts_hr_and_union_in_their_own_language_once(
    breach, representatives, django_capture_on_commit_callbacks
):
    fire(breach, django_capture_on_commit_callbacks)
    fire(breach, django_capture_on_commit_callbacks)  # the same onset again: nothing more

    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == ["hr@example.org", "rep@example.org"]  # not the member
    italian, english = by_address["hr@example.org"], by_address["rep@example.org"]
    assert "ondata di contatti" in italian.subject and "2 dicembre 2024" in italian.body
    assert "surge of contacts" in english.subject and "2 December 2024" in english.body
    assert "http://127.0.0.1:8000/dashboards/acme-servizi/" in english.body
    assert "The BreachWatch team" in english.body and "Il team di BreachWatch" in italian.body
    for message in (italian, english):
        headers = message.message()
        assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        link = headers["List-Unsubscribe"].strip("<>")
        assert link.startswith("http://127.0.0.1:8000/alerts/unsubscribe/") and link in message.body
        assert headers["Message-ID"] == OutgoingMessage.objects.get(recipient=message.to[0]).message_id
        [(html, _mimetype)] = message.alternatives  # the site's shared layout, its footer with the link
        assert "BreachWatch</td>" in html and f'href="{link}"' in html and f"\n{link}\n" in message.body


def test_a_representative_who_turned_the_surge_alert_off_gets_none(
    breach, representatives, django_capture_on_commit_callbacks
):
    hr, rep = representatives
    AlertOptOut.objects.create(person=rep, kind="surge")

    fire(breach, django_capture_on_commit_callbacks)

    assert [message.to for message in mail.outbox] == [["hr@example.org"]]


def test_a_new_onset_is_a_new_alert(breach, representatives, django_capture_on_commit_callbacks):
    fire(breach, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        surge_detected.send(sender=Breach, breach=breach, onset={**ONSET, "date": "2025-06-01"}, evidence=None)

    assert len(mail.outbox) == 4
