"""The accounts flows in a real Chromium: sign-up, phones, export and erasure, HR invitations, two-factor."""

import json
import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Lampone-verde-2026!"  # at least 12 characters, not common, not like the address


LANGUAGES = [pytest.param("it", "it-IT", id="italian"), pytest.param("en", "en-GB", id="english")]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth keeps its rate limits in the cache, which outlives each test's database: without this, the
    same address signing up in the second language would get no confirmation mail (one per 3 minutes)."""
    from django.core.cache import cache

    cache.clear()


def translator(language: str):
    """t(msgid, **values) gives the text the site shows in `language` (t.n(singular, plural, n, **values) for a
    {% blocktranslate count n=… %}); t.missing lists what had no translation."""
    missing = []

    def note(msgid: str, text: str, *untranslated: str) -> None:
        if language != "en" and text in untranslated and msgid not in missing:
            missing.append(msgid)

    def t(msgid: str, **values) -> str:
        with translation.override(language):
            text = gettext(msgid)
        note(msgid, text, msgid)
        return text % values if values else text

    def n(singular: str, plural: str, count: int, **values) -> str:
        with translation.override(language):
            text = ngettext(singular, plural, count)
        note(singular, text, singular, plural)
        return text % {"n": count, **values}

    t.n, t.missing = n, missing
    return t


def submit(page, action: str):
    """Click the submit button of the form posting to `action` (labels change with the language); allauth's
    Cancel buttons inside that form submit another form, named by their `form` attribute."""
    page.locator(f"form[action='{action}'] button[type=submit]:not([form])").click()


def sign_up(page, base: str, email: str, *, navigate=True):
    if navigate:
        page.goto(base + "/accounts/signup/")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password1]").fill(NEW_PASSWORD)
    page.locator("input[name=password2]").fill(NEW_PASSWORD)
    submit(page, "/accounts/signup/")
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))


def confirm_email(page, mailoutbox, email: str):
    """Open the confirmation link mailed to `email` and press Confirm (links never confirm on a GET)."""
    message = next(m for m in reversed(mailoutbox) if m.to == [email])
    link = re.search(r"https?://\S+/accounts/confirm-email/[^/\s]+/", message.body).group(0)
    page.goto(link)
    # The form posts to a freshly signed key, which differs from the mailed one once a second has passed.
    page.locator("form[action^='/accounts/confirm-email/'] button[type=submit]").click()
    expect(page).not_to_have_url(link)


def log_in(page, base: str, email: str, *, password=PASSWORD, totp=None):
    page.goto(base + "/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    submit(page, "/accounts/login/")
    if totp is not None:
        expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
        page.locator("input[name=code]").fill(totp())
        submit(page, "/accounts/2fa/authenticate/")


def sms_code(sms_outbox, number: str) -> str:
    return re.search(r"\b(\d{6})\b", next(m for m in reversed(sms_outbox) if m.to == number).text).group(1)


@pytest.mark.parametrize(("language", "locale"), LANGUAGES)
def test_person_signs_up_confirms_email_adds_and_verifies_a_phone_exports_and_erases(
    live_server, new_page, screenshot, mailoutbox, sms_outbox, language, locale, settings
):
    settings.SITE_URL = live_server.url  # the confirmation link points at this server
    from apps.accounts.models import User

    t, base, email = translator(language), live_server.url, "giulia.rossi@example.org"
    page = new_page(locale=locale)

    sign_up(page, base, email)
    expect(page.locator("h1")).to_have_text(t("Check your e-mail"))
    confirm_email(page, mailoutbox, email)

    expect(page).to_have_url(base + "/me/")
    expect(page.locator("h1")).to_have_text(t("My page"))
    expect(page.locator("main")).to_contain_text(email)

    page.get_by_role("button", name=t("Add a number")).click()
    page.get_by_label(t("Mobile number")).fill("333 123 4567")
    page.get_by_role("button", name=t("Send me a code")).click()
    expect(page).to_have_url(re.compile(r"/me/phones/\d+/verify/$"))
    expect(page.locator("main")).to_contain_text("+393331234567")
    code = sms_code(sms_outbox, "+393331234567")

    page.get_by_label(t("Code received by SMS")).fill(f"{(int(code) + 1) % 10**6:06d}")
    page.get_by_role("button", name=t("Verify"), exact=True).click()
    expect(page.locator(".errorlist")).to_have_text(t("Wrong code. %(left)d tries left.", left=4))

    page.get_by_label(t("Code received by SMS")).fill(code)
    page.get_by_role("button", name=t("Verify"), exact=True).click()
    expect(page).to_have_url(base + "/me/")
    row = page.locator("#phones tr", has_text="333 123 4567")  # as the person dials it
    expect(row.locator(".status-ok")).to_have_text(t("verified"))
    screenshot(page, f"accounts-me-{language}")

    with page.expect_download() as download:
        page.get_by_role("button", name=t("Download my data (JSON)")).click()
    assert download.value.suggested_filename.startswith("breachwatch-my-data-")
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert exported["account"]["email"] == email and exported["account"]["email_verified"] is True
    assert [(p["number"], p["verified_at"] is not None) for p in exported["phones"]] == [("+393331234567", True)]

    page.get_by_role("button", name=t("Erase my account")).click()
    page.get_by_label(t("Your password")).fill("not-my-password-at-all")
    page.get_by_label(t("I understand that this cannot be undone.")).check()
    page.get_by_role("button", name=t("Erase my account")).click()
    expect(page.locator(".errorlist")).to_have_text(t("The password is not right."))
    page.get_by_label(t("Your password")).fill(NEW_PASSWORD)
    page.get_by_label(t("I understand that this cannot be undone.")).check()
    page.get_by_role("button", name=t("Erase my account")).click()

    expect(page).to_have_url(base + "/goodbye/")
    expect(page.locator("h1")).to_have_text(t("Account erased"))
    screenshot(page, f"accounts-erased-{language}")
    assert not User.objects.filter(email=email).exists()

    log_in(page, base, email, password=NEW_PASSWORD)
    expect(page).to_have_url(base + "/accounts/login/")
    expect(page.locator("main")).to_contain_text(t("The email address and/or password you specified are not correct."))

    # In Italian, nothing the person read was left in English.
    assert t.missing == [], f"shown in English on Italian pages: {t.missing}"


def test_person_on_an_english_phone_is_told_why_a_number_is_refused(
    live_server, new_page, screenshot, mailoutbox, sms_outbox, settings
):
    settings.SITE_URL = live_server.url  # the confirmation link points at this server
    base, email = live_server.url, "sam.taylor@example.org"
    page = new_page(locale="en-GB", width=390, height=844)

    sign_up(page, base, email)
    expect(page.locator("h1")).to_have_text("Check your e-mail")
    confirm_email(page, mailoutbox, email)
    expect(page.locator("h1")).to_have_text("My page")

    page.get_by_role("button", name="Add a number").click()
    page.get_by_label("Mobile number").fill("12ab")
    page.get_by_role("button", name="Send me a code").click()
    expect(page.locator(".errorlist")).to_have_text(
        "This does not look like a phone number: use digits, optionally starting with + or 00."
    )

    page.get_by_label("Mobile number").fill("+39 06 1234 5678")
    page.get_by_role("button", name="Send me a code").click()
    expect(page.locator(".errorlist")).to_have_text(
        "This is not a mobile number; one-time codes can only be sent to mobiles."
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "accounts-phone-error-en-phone")
    assert sms_outbox == []


@pytest.mark.parametrize(("language", "locale"), LANGUAGES)
def test_hr_uploads_invitations_and_an_invitee_joins(
    live_server, new_page, screenshot, mailoutbox, settings, make_person, organisation, with_totp, language, locale
):
    from apps.accounts.models import Membership

    settings.CELERY_TASK_ALWAYS_EAGER = True  # the Celery app reads its configuration from Django's settings
    settings.SITE_URL = live_server.url  # invitation links point at this server
    t, base, org = translator(language), live_server.url, organisation.name
    hr = make_person("hr@acme.example")
    Membership.objects.create(person=hr, organisation=organisation, role="hr", status="active")
    code = with_totp(hr)

    page = new_page(locale=locale)
    log_in(page, base, "hr@acme.example", totp=code)
    expect(page).to_have_url(base + "/me/")
    page.get_by_role("link", name=t("People and invitations")).click()
    expect(page).to_have_url(base + "/organisations/acme-servizi/people/")
    expect(page.locator("main")).to_contain_text(t.n("%(n)s person has joined.", "%(n)s people have joined.", 1))

    csv = b"email\nann.bianchi@example.org\nBruno.Verdi@Example.org\nann.bianchi@example.org\nnot-an-address\n"
    page.get_by_label(t("CSV file of e-mail addresses")).set_input_files(
        {"name": "staff.csv", "mimeType": "text/csv", "buffer": csv}
    )
    page.get_by_role("button", name=t("Upload and send invitations")).click()

    expect(page).to_have_url(re.compile(r"/organisations/acme-servizi/invitations/\d+/$"))
    sent = t("%(sent)s of %(total)s sent, %(failed)s failed.", sent=2, total=2, failed=0)
    expect(page.locator("#batch-progress")).to_contain_text(sent)
    expect(page.locator("#batch-progress")).to_have_attribute("data-status", "done")
    skipped = page.locator("#skipped-rows tbody tr")
    expect(skipped).to_have_count(2)
    assert [skipped.nth(i).locator("td").all_inner_texts() for i in range(2)] == [
        ["4", t("duplicate of line %(line)d", line=2)],
        ["5", t("not a valid e-mail address")],
    ]
    screenshot(page, f"hr-invitations-batch-{language}")

    invitations = [m for m in mailoutbox if org in m.subject]
    assert sorted(m.to[0] for m in invitations) == ["ann.bianchi@example.org", "bruno.verdi@example.org"]
    mail = next(m for m in invitations if m.to == ["ann.bianchi@example.org"])
    link = re.search(r"https?://\S+/invitations/[^/\s]+/", mail.body).group(0)
    assert link.startswith(base)

    invitee = new_page(locale=locale)  # a new browser context: nobody is logged in
    invitee.goto(link)
    expect(invitee.locator("main")).to_contain_text(
        t("%(org)s invites you to BreachWatch. Create an account (or log in) to accept.", org=org)
    )
    invitee.locator("main").get_by_role("button", name=t("Sign up")).click()
    sign_up(invitee, base, "ann.bianchi@example.org", navigate=False)
    confirm_email(invitee, mailoutbox, "ann.bianchi@example.org")

    expect(invitee).to_have_url(link)  # confirming the address leads straight back to the invitation
    expect(invitee.locator("main")).to_contain_text(
        t("Join %(org)s on BreachWatch? Its HR will see only aggregate figures, never your reports.", org=org)
    )
    invitee.goto(base + "/me/")  # their page keeps offering it until they answer
    expect(invitee.locator("main")).to_contain_text(t("You have an invitation to join %(org)s.", org=org))
    invitee.get_by_role("button", name=t("Open the invitation")).click()
    expect(invitee).to_have_url(link)
    invitee.get_by_role("button", name=t("Join"), exact=True).click()

    expect(invitee).to_have_url(base + "/me/")
    expect(invitee.locator("main")).to_contain_text(t("You joined %(org)s.", org=org))
    expect(invitee.locator("#organisations li")).to_have_text(re.compile(rf"{org}\s+—\s+{t('member')}"))
    assert Membership.objects.filter(person__email="ann.bianchi@example.org", organisation=organisation).exists()

    response = invitee.goto(link)
    assert response.status == 410
    expect(invitee.get_by_role("alert")).to_have_text(t("This invitation has already been used."))

    page.reload()
    expect(page.locator("main")).to_contain_text(sent)
    page.goto(base + "/organisations/acme-servizi/people/")
    expect(page.locator("main")).to_contain_text(t.n("%(n)s person has joined.", "%(n)s people have joined.", 2))
    assert t.missing == [], f"shown in English on Italian pages: {t.missing}"


def test_hr_without_two_factor_is_sent_to_set_it_up(
    live_server, new_page, screenshot, mailoutbox, make_person, organisation, settings
):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    from apps.accounts.models import Membership

    settings.SITE_URL = live_server.url  # the enrolment link points at this server
    base = live_server.url
    hr = make_person("hr@acme.example")
    Membership.objects.create(person=hr, organisation=organisation, role="hr", status="active")

    page = new_page(locale="en-GB", width=390)
    log_in(page, base, "hr@acme.example")
    expect(page).to_have_url(base + "/me/")
    expect(page.get_by_role("alert")).to_contain_text("set up two-factor authentication before they open")

    page.goto(base + "/organisations/acme-servizi/people/")
    # A staff role's first enrolment: the password is not enough, a link goes to the account's address.
    expect(page).to_have_url(base + "/accounts/2fa/enrol/")
    expect(page.locator("main")).to_contain_text("Set up two-factor authentication to open this page.")
    page.get_by_role("button", name="Send the link to hr@acme.example").click()
    expect(page.get_by_role("status")).to_contain_text("We sent the link to hr@acme.example")
    screenshot(page, "mfa-enrol-link-sent-en-390")
    link = re.search(r"https?://\S+/accounts/2fa/enrol/[^/\s]+/", mailoutbox[-1].body).group(0)
    page.goto(link)

    # Setting up a second factor is a sensitive change: allauth asks for the password once more first.
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/\?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F$"))
    page.locator("input[name=password]").fill(PASSWORD)
    submit(page, "/accounts/reauthenticate/")

    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    expect(page.locator("input[name=code]")).to_be_visible()
    app_link = page.get_by_role("button", name="Add to the authenticator app on this phone")
    expect(app_link).to_have_attribute("href", re.compile(r"^otpauth://totp/"))
    screenshot(page, "mfa-activate-en-390")
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("input[name=code]").fill(format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time()))))
    submit(page, "/accounts/2fa/totp/activate/")

    expect(page).to_have_url(base + "/organisations/acme-servizi/people/")  # the page asked for, at last
