"""BreachWatch's notification e-mails: each has a text part and an HTML alternative with the same words, in
the recipient's language, and links from SITE_URL that open the page they promise (whole on their own line in
the text part, so a copy from a text-only client works)."""

import re
from datetime import date

import pytest
from django.test import RequestFactory

from apps.accounts.services.invitations import invitation_batch_create
from apps.accounts.two_factor import send_enrolment_link
from apps.breaches.exposure_tasks import notify_exposed
from apps.breaches.models import Breach, Exposure

pytestmark = pytest.mark.django_db
SITE = "https://breachwatch.example.org"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def breach(organisation):
    return Breach.objects.create(
        organisation=organisation, title="Archivio concorso", slug="archivio-concorso", occurred_on=date(2024, 11, 15)
    )


def parts(message) -> tuple[str, str]:
    """The text body and the HTML alternative of a sent message (exactly one of each)."""
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return message.body, html


def lone_links(text: str) -> list[str]:
    """Links standing alone on a line of the text part, as a person copies them."""
    return re.findall(rf"^({re.escape(SITE)}/\S+)$", text, flags=re.M)


def test_the_breach_match_mail_is_in_italian_with_both_parts_and_links_that_open(
    breach, make_person, mailoutbox, client, django_capture_on_commit_callbacks
):
    person = make_person("luca@example.org", preferred_language="it")
    exposure = Exposure.objects.create(person=person, breach=breach, established="dataset_match")

    with django_capture_on_commit_callbacks(execute=True):  # queued in the outbox, sent once it commits
        notify_exposed([exposure.pk])

    [message] = mailoutbox
    text, html = parts(message)
    assert message.subject == "[BreachWatch] I tuoi dati sono in “Archivio concorso”"
    assert "è nell'archivio trafugato di “Archivio concorso” (Acme Servizi)" in text
    assert "è nell'archivio trafugato di “Archivio concorso” (Acme Servizi)" in html
    assert '<html lang="it">' in html and "Ricevi questa e-mail perché hai un account BreachWatch" in html
    [mine, report, unsubscribe] = lone_links(text)
    assert (mine, report) == (f"{SITE}/me/breaches/", f"{SITE}/report/")
    assert unsubscribe.startswith(f"{SITE}/alerts/unsubscribe/")
    assert "Per non ricevere più questo avviso, con un clic:" in text and "disiscriviti" in html
    for link in lone_links(text):
        assert f'href="{link}"' in html
    client.force_login(person)
    page = client.get(f"{SITE}/me/breaches/".removeprefix(SITE), HTTP_ACCEPT_LANGUAGE="it")
    assert page.status_code == 200 and "Archivio concorso" in page.content.decode()
    assert client.get("/report/").status_code == 200


def test_the_breach_match_mail_follows_an_english_speakers_choice(
    breach, make_person, mailoutbox, django_capture_on_commit_callbacks
):
    person = make_person("jane@example.org", preferred_language="en")

    with django_capture_on_commit_callbacks(execute=True):
        notify_exposed([Exposure.objects.create(person=person, breach=breach, established="dataset_match").pk])

    text, html = parts(mailoutbox[0])
    assert mailoutbox[0].subject == "[BreachWatch] Your data is in “Archivio concorso”"
    assert "is in the leaked dataset of “Archivio concorso”" in text and '<html lang="en">' in html


def test_the_invitation_is_in_italian_by_default_and_its_link_opens_the_invitation(
    organisation, make_person, mailoutbox, client, django_capture_on_commit_callbacks
):
    hr = make_person("hr@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        invitation_batch_create(organisation=organisation, uploaded_by=hr, emails=["nuovo@example.org"], skipped=[])

    [message] = mailoutbox
    text, html = parts(message)
    assert message.subject == "[BreachWatch] Acme Servizi ti invita su BreachWatch"
    assert "Iscriviti qui (il link funziona una sola volta, per 14 giorni):" in text
    assert "Iscriviti a BreachWatch" in html and "Il link funziona una sola volta, per 14 giorni." in html
    [link] = lone_links(text)
    assert "/invitations/" in link and f'href="{link}"' in html
    page = client.get(link.removeprefix(SITE), HTTP_ACCEPT_LANGUAGE="it")
    assert page.status_code == 200 and "Acme Servizi" in page.content.decode()


def test_an_invitation_to_an_address_with_an_english_account_is_in_english(
    organisation, make_person, mailoutbox, django_capture_on_commit_callbacks
):
    hr = make_person("hr@example.org")
    make_person("jane@example.org", preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        invitation_batch_create(organisation=organisation, uploaded_by=hr, emails=["jane@example.org"], skipped=[])

    text, html = parts(mailoutbox[0])
    assert mailoutbox[0].subject == "[BreachWatch] Acme Servizi invites you to BreachWatch"
    assert "Join BreachWatch" in html and "for 14 days" in text


def test_the_two_factor_enrolment_link_comes_from_site_url_in_both_parts_and_in_italian(
    make_person, mailoutbox, client
):
    person = make_person("anna@example.org", preferred_language="it")
    request = RequestFactory().post("/accounts/2fa/enrol/", HTTP_HOST="attacker.example")
    request.user = person

    send_enrolment_link(request)

    text, html = parts(mailoutbox[0])
    [link] = lone_links(text)  # never the Host header of the request
    assert "/accounts/2fa/enrol/" in link and f'href="{link}"' in html
    assert "Il link funziona per 30 minuti." in text and "Il link funziona per 30 minuti." in html
    assert "qualcuno conosce la tua password" in html
    client.force_login(person)
    assert client.get(link.removeprefix(SITE)).status_code == 302  # the session may now enrol


def test_the_already_registered_mail_has_an_html_part_in_the_owners_language(make_person, mailoutbox, client):
    make_person("giulia@example.org", preferred_language="it")

    client.post(
        "/accounts/signup/",
        {"email": "giulia@example.org", "password1": "una-password-lunga-42", "password2": "una-password-lunga-42"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    text, html = parts(mailoutbox[-1])
    assert "Qualcuno ha provato a registrarsi a BreachWatch con il tuo indirizzo" in html
    assert f'href="{SITE}/accounts/login/"' in html and f"{SITE}/accounts/login/" in text
