"""Every page of the seeded demo, as the person who would open it, in Italian and English, on a phone (390 px)
and a desktop (1280 px): no page wider than the screen, no serious or critical axe-core violation, headings in
order (one h1, no level skipped), nothing fetched from another site, and a full-page screenshot of each in
tests/artifacts/<page>-<language>-<width>.png for a person to look at.

One browser and one seeding for the whole module (seeding takes a while and a live-server test empties the
database after it); every problem on every page is collected and reported together, so one run shows them all.
"""

from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

from apps.accounts.models import User
from apps.breaches.models import DatasetImport
from apps.core.demo import DEMO_EMAIL_DOMAIN, seed_demo
from apps.notices.models import Kind
from apps.notices.preferences import unsubscribe_token
from apps.reports.models import CallerNumber, ContactReport
from tests.conftest import ARTIFACTS, browser_session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = {"it": "it-IT", "en": "en-GB"}
WIDTHS = (390, 1280)
BREACH = "inps-servizi-concorso-2022"
ORGANISATION = "inps-servizi-demo"
SERIOUS = {"serious", "critical"}

# Levels in the order they appear; a page passes when it starts at h1, has one h1 and never skips a level down.
HEADINGS_JS = """() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
    .filter(h => !h.closest('[hidden], [aria-hidden=true], template'))
    .map(h => [Number(h.tagName[1]), h.textContent.trim().slice(0, 60)])"""
OVERFLOW_JS = """() => {
    const wide = [...document.querySelectorAll('body *')].filter(el => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.right > window.innerWidth + 1 && !el.closest('.chart-scroll, .overflow-auto');
    }).slice(0, 3).map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : ''));
    return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, wide};
}"""


@dataclass(frozen=True)
class Visit:
    name: str  # the screenshot's name
    path: str
    who: str  # "anonymous", "member", "hr", "union", "officer"
    status: int = 200
    submit: bool = False  # press the page's form button and look at the page that answers


def pages(demo: dict) -> list[Visit]:
    number, report, dataset = demo["number"], demo["report"], demo["import"]
    return [
        Visit("home", "/", "anonymous"),
        Visit("breaches", "/breaches/", "anonymous"),
        Visit("breach", f"/breaches/{BREACH}/", "anonymous"),
        Visit("numbers", "/numbers/", "anonymous"),
        Visit("number", f"/numbers/{number}/", "anonymous"),
        Visit("number-dispute", f"/numbers/{number}/dispute/", "anonymous"),
        Visit("methods", "/methods/", "anonymous"),
        Visit("signup", "/accounts/signup/", "anonymous"),
        Visit("login", "/accounts/login/", "anonymous"),
        Visit("password-reset", "/accounts/password/reset/", "anonymous"),
        Visit("report-anonymous", "/report/", "anonymous"),
        # An alert's one-click unsubscribe link, opened from the e-mail (no login): the question, the answer, and
        # a link cut short by a mail client.
        Visit("unsubscribe", f"/alerts/unsubscribe/{demo['unsubscribe']}/", "anonymous"),
        Visit("unsubscribed", f"/alerts/unsubscribe/{demo['unsubscribe']}/", "anonymous", submit=True),
        Visit("unsubscribe-invalid", f"/alerts/unsubscribe/{demo['unsubscribe'][:12]}/", "anonymous", status=404),
        Visit("me", "/me/", "member"),
        Visit("me-hr", "/me/", "hr"),  # the alert preferences offer the organisation's alerts too
        Visit("me-breaches", "/me/breaches/", "member"),
        Visit("me-reports", "/me/reports/", "member"),
        Visit("me-api-token", "/me/api-token/", "member"),
        Visit("me-erase", "/me/erase/", "member"),
        Visit("me-email", "/accounts/email/", "member"),
        Visit("me-password", "/accounts/password/change/", "member"),
        Visit("report", "/report/", "member"),
        Visit("report-bulk", "/report/bulk/", "member"),
        Visit("report-done", f"/report/{report}/", "member"),
        Visit("report-correct", f"/report/{report}/correct/", "member"),
        Visit("hr-people", f"/organisations/{ORGANISATION}/people/", "hr"),
        Visit("dashboards", "/dashboards/", "union"),
        Visit("dashboard", f"/dashboards/{ORGANISATION}/", "hr"),
        Visit("officer-breaches", "/officers/breaches/", "officer"),
        Visit("officer-breach-new", "/officers/breaches/new/", "officer"),
        Visit("officer-breach-edit", f"/officers/breaches/{BREACH}/edit/", "officer"),
        Visit("officer-breach-import", f"/officers/breaches/{BREACH}/import/", "officer"),
        Visit("officer-import", f"/officers/imports/{dataset}/", "officer"),
        Visit("officer-reports", "/officers/reports/", "officer"),
        Visit("officer-number", f"/officers/numbers/{number}/", "officer"),
        Visit("officer-disputes", "/officers/disputes/", "officer"),
        Visit("officer-audit", "/officers/audit/", "officer"),
        Visit("officer-evidence", "/officers/evidence/", "officer"),
        Visit("officer-evidence-breach", f"/officers/evidence/{BREACH}/", "officer"),
        Visit("two-factor", "/accounts/2fa/", "officer"),
    ]


def session_cookie(live_server, user) -> dict:
    return browser_session_cookie(live_server, user)


def seeded() -> dict:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    seed_demo(seed=settings.DEMO_SEED)
    users = {who: User.objects.get(email=f"{email}@{DEMO_EMAIL_DOMAIN}") for who, email in (
        ("member", "member01"), ("hr", "hr"), ("union", "union"), ("officer", "officer"),
    )}  # fmt: skip
    for who in ("hr", "union", "officer"):
        TOTP.activate(users[who], generate_totp_secret())
    number = CallerNumber.objects.filter(is_public=True).order_by("-reporters_count", "e164").first()
    return {
        "users": users,
        "number": number.e164,
        "report": ContactReport.objects.filter(reporter=users["member"], hidden=False).latest("occurred_at").pk,
        "import": DatasetImport.objects.latest("pk").pk,
        "unsubscribe": unsubscribe_token(users["member"], Kind.NEW_NUMBERS),
    }


def check(page, axe, visit: Visit, language: str, width: int) -> list[str]:
    problems = []
    where = f"{visit.name} ({visit.path}) {language} {width}px"
    if not page.url.split("?")[0].endswith(visit.path.split("?")[0]):
        return [f"{where}: sent to {page.url}"]
    if page.locator("html").get_attribute("lang") != language:
        problems.append(f"{where}: html lang is {page.locator('html').get_attribute('lang')}")

    overflow = page.evaluate(OVERFLOW_JS)
    if overflow["scroll"] > overflow["inner"]:
        problems.append(f"{where}: {overflow['scroll']} px wide in {overflow['inner']} px, by {overflow['wide']}")

    levels = page.evaluate(HEADINGS_JS)
    if not levels or levels[0][0] != 1 or [level for level, _ in levels].count(1) != 1:
        problems.append(f"{where}: headings do not start with one h1: {levels[:4]}")
    for (before, _), (level, text) in zip(levels, levels[1:], strict=False):
        if level > before + 1:
            problems.append(f"{where}: h{before} then h{level} ({text!r})")

    # axe is the slow part: every page at the phone width in both languages, and at the desktop width in one
    # (where the header lays the menu out as a row); the other checks run at every size.
    violations = []
    if width == 390 or language == "en":
        violations = axe.run(page, options={"resultTypes": ["violations"]}).response["violations"]
    for violation in violations:
        if violation["impact"] in SERIOUS:
            targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
            problems.append(f"{where}: axe {violation['id']} ({violation['impact']}): {violation['help']} {targets}")

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{visit.name}-{language}-{width}.png"), full_page=True)
    return problems


def test_every_page_fits_a_phone_passes_axe_and_has_its_headings_in_order(live_server, browser):
    demo = seeded()
    cookies = {who: session_cookie(live_server, user) for who, user in demo["users"].items()}
    visits = pages(demo)
    axe = Axe()
    problems, foreign = [], set()
    origin = live_server.url

    for language, locale in LANGUAGES.items():
        for width in WIDTHS:
            for who in ("anonymous", "member", "hr", "union", "officer"):
                context = browser.new_context(locale=locale, viewport={"width": width, "height": 900})
                context.set_default_timeout(20_000)
                if who != "anonymous":
                    context.add_cookies([cookies[who]])
                page = context.new_page()
                page.on("request", lambda request: request.url.startswith((origin, "data:", "blob:"))
                        or foreign.add(request.url))  # fmt: skip
                for visit in (v for v in visits if v.who == who):
                    response = page.goto(origin + visit.path)
                    if visit.submit and response is not None and response.ok:
                        with page.expect_navigation() as navigation:
                            page.locator("main form button[type=submit]").click()
                        response = navigation.value
                    if response is None or response.status != visit.status:
                        problems.append(f"{visit.name} {language} {width}px: HTTP {response and response.status}")
                        continue
                    problems += check(page, axe, visit, language, width)
                context.close()

    assert not foreign, f"fetched from elsewhere: {sorted(foreign)[:5]}"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("locale", "label"), [("it-IT", "Vai al contenuto"), ("en-GB", "Skip to content")])
def test_the_first_tab_reaches_a_skip_link_that_jumps_past_the_menu(live_server, new_page, locale, label):
    page = new_page(locale=locale, width=390)
    page.goto(live_server.url + "/methods/")

    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == label and skip.is_visible()
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main"
