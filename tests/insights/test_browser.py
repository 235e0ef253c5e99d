"""The seeded demo's breach page and HR dashboard in a real browser, in Italian and English, on a phone and a
desktop: the charts must have rendered (drawn bars, coloured countries, a heat map), not just the page."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.core.demo import DEMO_EMAIL_DOMAIN, seed_demo
from tests.conftest import ARTIFACTS, browser_session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BREACH = "/breaches/inps-servizi-concorso-2022/"
DASHBOARD = "/dashboards/inps-servizi-demo/"
SIZES = {"phone": 390, "desktop": 1280}
LANGUAGES = {"it": "it-IT", "en": "en-GB"}


def hr_cookie(live_server) -> dict:
    """A logged-in session of the demo's HR, who has set up two-factor authentication."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    hr = User.objects.get(email=f"hr@{DEMO_EMAIL_DOMAIN}")
    TOTP.activate(hr, generate_totp_secret())
    return browser_session_cookie(live_server, hr)


def assert_charts_rendered(page):
    """Every figure has an SVG with a real size, and the charts drew data, not only axes."""
    figures = page.locator("figure.chart svg")
    assert figures.count() >= 7
    for i in range(figures.count()):
        box = figures.nth(i).bounding_box()
        assert box and box["width"] > 150 and box["height"] > 60, i
    assert page.locator("#figure-timeline svg rect, #figure-timeline svg path").count() > 20
    for country in ("Nigeria", "Bangladesh", "Pakistan", "India"):
        assert page.locator("#figure-map svg title", has_text=country).count() >= 1, country
    assert page.locator("#figure-hours svg rect").count() >= 168
    assert page.locator("#figure-countries svg rect").count() >= 4


ONSET = {"it": "19 novembre 2024", "en": "19 November 2024"}  # the demo's planted onset (apps/reports/demo.py)


def assert_evidence_found(page, language: str) -> None:
    """The demo's surge is found where the story planted it: the onset, marked on the timeline, and campaigns."""
    section = page.locator("section.evidence").first
    expect(section.locator(".evidence-onset")).to_contain_text(ONSET[language])
    expect(section.locator(".stat-cards .stat-value").first).to_contain_text("×")
    assert section.locator("table tbody tr").count() >= 2  # linked numbers and campaigns
    assert page.locator('svg [stroke="#6a2c91"]').count() >= 1, "the onset is not marked on the timeline"


def test_the_demo_breach_page_and_hr_dashboard_draw_their_charts(live_server, new_page, screenshot):
    """On the seeded demo (seeded once: a live-server test empties the database after it), in Italian and
    English, at phone and desktop widths; screenshots land in tests/artifacts/."""
    seed_demo(seed=settings.DEMO_SEED)
    cookie = hr_cookie(live_server)
    for language, locale in LANGUAGES.items():
        for size, width in SIZES.items():
            page = new_page(locale=locale, width=width)
            page.goto(live_server.url + BREACH)
            assert page.locator("html").get_attribute("lang") == language
            assert_charts_rendered(page)
            assert_evidence_found(page, language)
            screenshot(page, f"breach-{language}-{size}")
            page.locator("section.evidence").first.screenshot(
                path=str(ARTIFACTS / f"breach-evidence-{language}-{size}.png")
            )

            page.context.add_cookies([cookie])
            page.goto(live_server.url + DASHBOARD)
            assert page.url.endswith(DASHBOARD), page.url  # not sent to log in or to set up two factors
            assert_charts_rendered(page)
            assert page.locator(".participation td[data-count]").count() >= 1
            screenshot(page, f"dashboard-{language}-{size}")

    # The filters narrow the figures in the browser.
    total = int(page.locator(".stat-cards .stat-value").first.get_attribute("data-count"))
    page.select_option("select[name=channel]", "sms")
    page.click(".stats-filters button[type=submit]")
    page.wait_for_url("**channel=sms**")
    assert 0 < int(page.locator(".stat-cards .stat-value").first.get_attribute("data-count")) < total
    assert not page.locator("input[name=start]").is_visible()
    page.select_option("select[name=period]", "custom")
    assert page.locator("input[name=start]").is_visible()
