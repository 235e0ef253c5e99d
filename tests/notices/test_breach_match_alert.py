"""The alert "you are in a newly imported breach" goes through the outbox: once per breach and person however often the
matcher runs, never to someone who turned it off, and with the one-click unsubscribe of RFC 8058."""

from datetime import date

import pytest
from django.core import mail

from apps.breaches.exposure_tasks import match_breach, notify_exposed
from apps.breaches.models import Breach, ExposedIdentifier, Exposure
from apps.notices.models import AlertOptOut, OutgoingMessage
from apps.phones.hashing import email_digest

pytestmark = pytest.mark.django_db


@pytest.fixture
def breach(organisation):
    return Breach.objects.create(
        organisation=organisation, title="Archivio concorso", slug="archivio", occurred_on=date(2024, 11, 15)
    )


def leak(breach, *addresses):
    for address in addresses:
        ExposedIdentifier.objects.create(breach=breach, kind="email", digest=email_digest(address))


def run_matcher(breach, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        match_breach(breach.pk)


def test_a_second_match_run_sends_nothing_more(breach, make_person, django_capture_on_commit_callbacks):
    make_person("luca@example.org")
    leak(breach, "luca@example.org")

    run_matcher(breach, django_capture_on_commit_callbacks)
    run_matcher(breach, django_capture_on_commit_callbacks)
    [exposure] = Exposure.objects.all()
    with django_capture_on_commit_callbacks(execute=True):  # the task delivered again after a worker crash
        assert notify_exposed([exposure.pk]) == 0

    assert [message.to for message in mail.outbox] == [["luca@example.org"]]
    assert OutgoingMessage.objects.get().state == OutgoingMessage.State.SENT


def test_a_person_who_turned_the_alert_off_gets_nothing(breach, make_person, django_capture_on_commit_callbacks):
    quiet = make_person("quiet@example.org")
    AlertOptOut.objects.create(person=quiet, kind="breach_match")
    make_person("luca@example.org")
    leak(breach, "quiet@example.org", "luca@example.org")

    run_matcher(breach, django_capture_on_commit_callbacks)

    assert Exposure.objects.count() == 2  # both are matched and see the breach on their page
    assert [message.to for message in mail.outbox] == [["luca@example.org"]]
    assert not OutgoingMessage.objects.filter(recipient="quiet@example.org").exists()


def test_the_alert_carries_the_one_click_unsubscribe_headers_and_its_link_works(
    breach, make_person, client, django_capture_on_commit_callbacks
):
    person = make_person("luca@example.org", preferred_language="en")
    leak(breach, "luca@example.org")

    run_matcher(breach, django_capture_on_commit_callbacks)

    [message] = mail.outbox
    headers = message.message()
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = headers["List-Unsubscribe"].strip("<>")
    assert link.startswith("http://127.0.0.1:8000/alerts/unsubscribe/")
    [(html, _mimetype)] = message.alternatives
    assert link in message.body and f'href="{link}"' in html
    assert headers["Message-ID"] == OutgoingMessage.objects.get().message_id
    # What a mail client's button does: a POST with the RFC 8058 body, no cookie, no CSRF token.
    response = client.post(link.removeprefix("http://127.0.0.1:8000"), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert AlertOptOut.objects.filter(person=person, kind="breach_match").exists()
