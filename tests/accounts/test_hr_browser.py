"""HR invites one person in a real browser and sees the invitation's state; an officer reads the audit log."""

import pytest

from apps.accounts.models import Membership
from tests.conftest import browser_session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_hr_invites_one_address_and_sees_it_sent_then_is_told_a_member_is_one(
    live_server, new_page, screenshot, make_person, with_totp, organisation, mailoutbox, width
):
    hr = make_person("hr@acme.example")
    Membership.objects.create(person=hr, organisation=organisation, role=Membership.Role.HR)
    with_totp(hr)
    member = make_person("giulia.verdi@acme.example")
    Membership.objects.create(person=member, organisation=organisation)
    page = new_page(locale="it-IT", width=width)
    page.context.add_cookies([browser_session_cookie(live_server, hr)])

    page.goto(live_server.url + f"/organisations/{organisation.slug}/people/")
    page.fill("#invite-one input[name=email]", "mario.rossi@acme.example")
    page.click("#invite-one button[type=submit]")

    page.wait_for_selector(".flash-success")
    assert "L'invito è in partenza." in page.locator(".flash-success").inner_text()
    row = page.locator("#invitation-list tbody tr").first
    assert row.get_attribute("data-state") == "sent" and "mario.rossi@acme.example" in row.inner_text()
    assert mailoutbox[-1].to == ["mario.rossi@acme.example"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"hr-people-{'phone' if width < 600 else 'desktop'}-it")

    page.fill("#invite-one input[name=email]", "giulia.verdi@acme.example")
    page.click("#invite-one button[type=submit]")
    assert "già iscritto a questa organizzazione" in page.locator("#invite-one .errorlist").inner_text()
