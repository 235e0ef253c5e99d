"""The person's side of the registry: matching after verification, declarations, and what is never revealed."""

import re
import statistics
import time
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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


def serve_like_a_wsgi_server(handler, environ):
    """What gunicorn does up to the moment the client has the whole answer: call the application and send
    every byte of the body. Returns (status, headers, body, seconds, queries, response); the caller closes
    the response afterwards, as the server does once the answer is out."""
    started = []
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        response = handler(environ, lambda status, headers, exc_info=None: started.append((status, headers)))
        body = b"".join(response)
        seconds = time.perf_counter() - began
    status, headers = started[0]
    # The flash message's cookie is signed with the current second; the message itself is compared.
    headers = tuple(sorted((name, re.sub(r"^(messages=[^:;]*):[^;]*", r"\1", value)) for name, value in headers))
    return status, headers, body, seconds, len(queries), response


@pytest.mark.django_db(transaction=True)  # commits as in production, so on-commit work runs where it really does
def test_verifying_a_leaked_or_a_clean_number_answers_the_same_bytes_in_the_same_time_and_queries(
    breach, make_person, sms_outbox, mailoutbox
):
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import Client, RequestFactory
    from django.utils.crypto import get_random_string

    handler, runs = WSGIHandler(), 6
    answers = {"leaked": [], "clean": []}
    people = {"leaked": [], "clean": []}
    # A clean warm-up first (templates, translations, caches), then the two kinds interleaved.
    for n, kind in enumerate(["clean"] + ["leaked", "clean"] * runs):
        number = f"+39333{1 if kind == 'leaked' else 2}{n:06d}"
        if kind == "leaked":
            hold(breach, phone=number)
        person = make_person(f"{kind}{n}@example.org")
        phone = phone_add(person=person, raw_number=number)
        code = re.search(r"\d{6}", sms_outbox[-1].text).group()
        browser = Client()
        browser.force_login(person)
        csrf = get_random_string(32)
        session = browser.cookies[settings.SESSION_COOKIE_NAME].value
        cookies = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}"
        posted = {"code": code, "csrfmiddlewaretoken": csrf}
        request = RequestFactory().post(f"/me/phones/{phone.pk}/verify/", posted, HTTP_COOKIE=cookies)
        environ = {**request.environ, "HTTP_ACCEPT_LANGUAGE": "en"}

        mails = len(mailoutbox)
        status, headers, body, seconds, queries, response = serve_like_a_wsgi_server(handler, environ)
        headers = tuple(h for h in headers if h[0] != "Expires")  # no-store pages expire "now", to the second
        answered = Exposure.objects.filter(person=person).exists() or len(mailoutbox) > mails
        response.close()  # the server, once the client has the answer

        if n:  # not the warm-up
            answers[kind].append((status, headers, body, queries, seconds, answered))
            people[kind].append(person)

    leaked, clean = answers["leaked"], answers["clean"]
    # Byte for byte the same answer (status, headers, body) and the same database work before it...
    assert {a[:4] for a in leaked} == {a[:4] for a in clean}
    assert len({a[:4] for a in leaked + clean}) == 1 and leaked[0][0] == "302 Found"
    # ...and nothing of the match had happened when it was sent: no exposure, no e-mail yet.
    assert not any(a[5] for a in leaked + clean)
    # Generous: only a difference of the order of the matching and the e-mail would fail it.
    leaked_time, clean_time = statistics.median(a[4] for a in leaked), statistics.median(a[4] for a in clean)
    assert leaked_time < clean_time * 1.5 + 0.01 and clean_time < leaked_time * 1.5 + 0.01
    # The work was deferred, not dropped: once the answer was out, the leaked numbers were matched and told.
    assert Exposure.objects.filter(person__in=people["leaked"], established="dataset_match").count() == runs
    assert not Exposure.objects.filter(person__in=people["clean"]).exists()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in people["leaked"])


def test_a_confirmed_login_email_that_leaked_is_matched(breach, make_person, django_capture_on_commit_callbacks):
    from allauth.account.models import EmailAddress
    from allauth.account.signals import email_confirmed

    hold(breach, email="giulia@example.org")
    person = make_person("giulia@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        email_confirmed.send(sender=EmailAddress, request=None, email_address=EmailAddress.objects.get(user=person))

    assert Exposure.objects.filter(person=person, established="dataset_match").exists()


def test_joining_by_invitation_links_the_person_to_the_organisations_breaches_but_never_a_sensitive_one(
    breach, make_person, django_capture_on_commit_callbacks
):
    sensitive = Breach.objects.create(
        organisation=breach.organisation,
        title="Health records",
        slug="health-records",
        occurred_on=date(2023, 5, 1),
        is_sensitive=True,
    )
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
    # Being on the organisation's staff list is no proof of being in a sensitive breach's dataset.
    assert not Exposure.objects.filter(person=person, breach=sensitive).exists()


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


def url_patterns(resolver=None, namespace=""):
    """(view name, route as written, parameter names) of every URL of the site."""
    for entry in (resolver or get_resolver()).url_patterns:
        if hasattr(entry, "url_patterns"):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            for name, route, params in url_patterns(entry, inner):
                yield name, str(entry.pattern) + route, params
        else:
            name = namespace + entry.name if entry.name else None
            yield name, str(entry.pattern), list(entry.pattern.regex.groupindex)


@pytest.fixture
def person_with_identifiers(breach, make_person, sms_outbox, django_capture_on_commit_callbacks):
    """A person whose verified e-mail and phone are both in `breach`, with everything a person can hold: an
    accepted invitation, a report naming their phone, an API token, a failed login on record."""
    from axes.models import AccessAttempt
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from apps.accounts.throttling import axes_account_key
    from apps.reports.models import CallerNumber, ContactReport

    email, number = "giulia.leaked@example.org", "+393331234567"
    hold(breach, phone=number, email=email)
    person = make_person(email)
    with django_capture_on_commit_callbacks(execute=True):
        phone = verify(person, "333 123 4567", sms_outbox)
        batch = invitation_batch_create(
            organisation=breach.organisation, uploaded_by=make_person("hr@example.org"), emails=[email], skipped=[]
        )
        invitation_accept(token=invitation_token(batch.invitations.get()), person=person)
    caller = CallerNumber.objects.create(e164="+2348031234567", country="NG", valid=True, possible=True)
    report = ContactReport.objects.create(
        reporter=person, contributor=person.pk, caller=caller, channel="call", contacted_phone=phone,
        occurred_at=timezone.now(),
    )  # fmt: skip
    Token.objects.create(user=person)
    AccessAttempt.objects.create(
        username=axes_account_key(None, {"email": email}), ip_address="203.0.113.9", failures_since_start=1,
        user_agent="test", path_info="/accounts/login/", http_accept="*/*",
    )  # fmt: skip
    assert Exposure.objects.filter(person=person, established="dataset_match").exists()
    ids = {"slug": breach.slug, "org": breach.organisation.slug, "phone": phone.pk, "pk": report.pk}
    ids.update(e164=caller.e164, token=invitation_token(batch.invitations.get()))
    return person, [phone_digest(number), email_digest(email)], ids


def every_get_url(ids: dict) -> list[str]:
    """Every URL of the site a browser or an app can GET, the person's own objects filled in; the admin and
    allauth's one-time keys aside."""
    from django.urls import reverse

    urls = []
    for name, route, params in url_patterns():
        if not name or name.startswith("admin:") or not set(params) <= {"slug", "pk", "e164", "token"}:
            continue
        values = {
            "slug": ids["org"] if route.startswith(("organisations/", "dashboards/")) else ids["slug"],
            "pk": ids["phone"] if name.startswith("accounts:phone_") else ids["pk"],
            "e164": ids["e164"],
            "token": ids["token"],
        }
        urls.append(reverse(name, kwargs={p: values[p] for p in params}))
    return sorted(set(urls))


def encodings(digest: bytes) -> list[str]:
    """The ways a digest, or a prefix of it, could show up in a page, a header or JSON."""
    import base64

    forms = [digest.hex(), base64.b64encode(digest).decode(), base64.urlsafe_b64encode(digest).decode()]
    forms += [f.rstrip("=") for f in forms] + [digest.hex().upper()]
    return sorted({f[:10] for f in forms} | set(forms))  # ten characters: a prefix that narrows a search


def shown(response) -> str:
    headers = "\n".join(f"{k}: {v}" for k, v in response.items())
    return headers + "\n" + response.content.decode("utf-8", "replace")


def test_no_url_takes_a_hash_or_a_hash_prefix():
    routes = [route for _name, route, _params in url_patterns()]

    assert routes and not [r for r in routes if re.search(r"hash|digest|prefix|sha", r, re.I)]
    assert not [p for *_, params in url_patterns() for p in params if re.search(r"hash|digest|prefix|sha", p, re.I)]


def test_no_page_or_api_answer_shows_a_digest_of_the_persons_identifiers(person_with_identifiers):
    from django.test import Client

    person, digests, ids = person_with_identifiers
    forms = [form for digest in digests for form in encodings(digest)]
    anonymous, owner = Client(), Client()
    owner.force_login(person)
    urls = every_get_url(ids)

    assert len(urls) > 40 and "/me/export/" in urls and "/api/v1/breaches/" in urls
    leaks = []
    for url in urls:
        for who, client in (("anonymous", anonymous), ("owner", owner)):
            answer = shown(client.get(url))
            leaks += [(who, url, form) for form in forms if form in answer]

    assert leaks == []


def test_no_endpoint_answers_differently_to_a_hash_or_a_prefix_in_its_query(person_with_identifiers):
    """The person's real digests, or prefixes of them, under every name a hash could be passed by, get the
    same answer as random values of the same shape: nothing reads them."""
    import os
    from urllib.parse import quote, urlencode

    from django.test import Client

    person, real, ids = person_with_identifiers
    decoy = [os.urandom(32), os.urandom(32)]

    def query(phone_hash: bytes, email_hash: bytes) -> str:
        return urlencode(
            {
                "hash": phone_hash.hex(), "digest": email_hash.hex(), "sha256": phone_hash.hex(),
                "prefix": phone_hash.hex()[:5], "hash_prefix": email_hash.hex()[:5], "range": phone_hash.hex()[:5],
                "phone_hash": phone_hash.hex(), "email_digest": email_hash.hex(),
            }
        )  # fmt: skip

    def comparable(response, sent: str) -> tuple:
        text = shown(response)
        for reflected in ("?" + sent, sent):  # pages may echo their own address (the language switch)
            for form in (reflected, reflected.replace("&", "&amp;"), quote(reflected, safe="/")):
                text = text.replace(form, "")
        text = re.sub(r'(name="csrfmiddlewaretoken" value=|"X-CSRFTOKEN"\] = )"[^"]+"', "", text)
        text = re.sub(r"(csrftoken|messages)=[^;]+|Content-Length: \d+|Expires: [^\n]+", "", text)  # Expires: now
        text = re.sub(r"nonce(=\"|-)[A-Za-z0-9+/=_-]+", "", text)  # the CSP nonce is new in every answer
        return response.status_code, text

    owner = Client()
    owner.force_login(person)
    differing = []
    for url in every_get_url(ids):
        if url == "/me/export/":  # each download is itself recorded in the next one
            continue
        for who, client in (("anonymous", Client()), ("owner", owner)):
            answers = [comparable(client.get(f"{url}?{q}"), q) for q in (query(*real), query(*decoy))]
            if answers[0] != answers[1]:
                differing.append((who, url))

    assert differing == []


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
