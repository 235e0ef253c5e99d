"""Every page of the seeded demo read in Italian, as each kind of user sees it, must contain no English.

The test walks the site in a real browser (logged out, as a member, as HR, as a union representative and as a
case officer), following every link it finds, and reads each page's visible text. Words that English uses
and Italian never does ("the", "your", "breach"…) fail it, once proper names (brands, products, places) and
the language switch are set aside. It does not prove the Italian is good, only that none of it was left out.
"""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings

from apps.accounts.models import User, user_display
from apps.core.demo import DEMO_EMAIL_DOMAIN, seed_demo
from tests.conftest import browser_session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Words of English that are not Italian words and are not loanwords Italian writes as they are ("account",
# "e-mail", "file", "privacy", "password", "dashboard", "link", "web", "online", "spam", "report" is not one).
ENGLISH = set(
    re.findall(
        r"\S+",
        """
        the and of with your you yours this that these those people person number numbers report reports reported
        reporting breach breaches contact contacts contacted page pages is are was were be been being have has had
        to for from by at on what which who whom whose how when where why it its an or not all any each every there
        here will would can cannot could should may might must does did done yes if then than more most less only
        also about after before into over under out our my we they them their his her she he new show shown see sign
        log phone phones call calls called message messages sent send save delete edit back next
        previous search help time day days week weeks month months year years hours hour today yesterday country
        countries carrier carriers line lines type verified verify code codes member members union officer officers
        organisation organisations invite invited invitation invitations export download upload total share channel
        channels script scripts hidden unknown landline other none name names dates first last open close closed
        settings remember forgot forgotten reset confirm confirmation continue cancel submit please thanks thank
        welcome hello hi since until between against because such just like join joined leak leaked leaks registered
        register figures chart charts week weekday weekdays everyone someone anyone nobody something nothing
        anything dispute disputes hide moderation approve reject pending expired accepted resend address addresses
        identifier identifiers
        """,
    )
)

# Proper names and product names that may appear in any language.
PROPER_NAMES = {
    "breachwatch",
    "whatsapp",
    "telegram",
    "amazon",
    "microsoft",
    "telconova",
    "inps",
    "google",
    "apple",
    "signal",
    "viber",
    "facebook",
    "instagram",
    "paypal",
    "netflix",
    "poste",
    "italiane",
    "english",
    "android",
    "iphone",
    "ios",
    "sms",
    "voip",
    "totp",
    "qr",
    "garante",
}

# Text that is not prose: e-mail addresses, web addresses, phone numbers and file names.
NOT_PROSE = re.compile(
    r"\S+@\S+|https?://\S+|(?<![\w/])/[\w/.<>{}-]+|\b[\w.-]+\.(it|eu|com|org|net|invalid|csv|vcf|json)\b"
    r"|\+?\d[\d\s().-]{5,}\d"
)

SKIP = re.compile(
    r"^/(admin|api|jsi18n|i18n|static|media)/|logout|/export|\.csv$|\.vcf$|\.json$|/delete/|/erase|^/healthz"
)
PAGES_PER_USER = 45

START = {
    "anonymous": ["/", "/breaches/", "/numbers/", "/methods/", "/accounts/login/", "/accounts/signup/",
                  "/accounts/password/reset/", "/report/"],
    "member": ["/me/", "/me/breaches/", "/report/", "/report/bulk/", "/me/reports/", "/me/api-token/"],
    "hr": ["/organisations/inps-servizi-demo/people/", "/dashboards/", "/dashboards/inps-servizi-demo/"],
    "union": ["/dashboards/", "/dashboards/inps-servizi-demo/"],
    "officer": ["/officers/breaches/", "/officers/breaches/new/", "/officers/audit/", "/officers/reports/",
                "/officers/disputes/", "/dashboards/"],
}  # fmt: skip
USERS = {"member": "member01", "hr": "hr", "union": "union", "officer": "officer"}


def session_cookie(live_server, email: str) -> dict:
    """A logged-in session for the demo user, with two-factor authentication set up (staff need it)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = User.objects.get(email=email)
    if not user.authenticator_set.exists():
        TOTP.activate(user, generate_totp_secret())
    return browser_session_cookie(live_server, user)


def english_words(text: str, names: frozenset[str] = frozenset()) -> list[str]:
    """The English words of `text`; `names` are more proper names (the logged-in person's display name)."""
    text = NOT_PROSE.sub(" ", text)
    words = re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", text)
    allowed = PROPER_NAMES | {name.lower() for name in names}
    # Two or three capitals are codes (IT, NG, SMS), not words.
    return sorted({w for w in words if w.lower() in ENGLISH and w.lower() not in allowed and not w.isupper()})


def shape(path: str) -> str:
    """Pages that differ only by an id, a slug or a number are one page for this test."""
    return re.sub(r"/(\+?\d+|[0-9a-f-]{32,36})/", "/#/", path)


def crawl(page, base: str, starts: list[str], names: frozenset[str]) -> dict[str, list[str]]:
    """{path: English words found}, for every page reachable from `starts` (at most PAGES_PER_USER)."""
    queue, seen, found = list(starts), set(), {}
    while queue and len(seen) < PAGES_PER_USER:
        path = queue.pop(0)
        if shape(path) in seen or SKIP.search(path):
            continue
        seen.add(shape(path))
        response = page.goto(base + path)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        assert page.locator("html").get_attribute("lang") == "it", path
        # Text marked as another language, or as several (a brand's English name and its aliases), is data.
        page.evaluate("document.querySelectorAll('body [lang]:not([lang=it])').forEach(e => e.remove())")
        words = english_words(page.inner_text("body"), names)
        if words:
            found[path] = words
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            url = urlsplit(urljoin(base + path, href))
            if url.netloc == urlsplit(base).netloc and url.path not in queue:
                queue.append(url.path)
    return found


def test_no_page_speaks_english_to_an_italian_reader(live_server, new_page):
    seed_demo(seed=settings.DEMO_SEED)
    base, problems = live_server.url, {}
    for who, starts in START.items():
        page, names = new_page(locale="it-IT"), frozenset()
        if who in USERS:
            email = f"{USERS[who]}@{DEMO_EMAIL_DOMAIN}"
            page.context.add_cookies([session_cookie(live_server, email)])
            # Pages greet people by the name they chose ("Sei collegato come …"): a name, not English.
            names = frozenset(re.findall(r"[^\W\d_]+", user_display(User.objects.get(email=email))))
        for path, words in crawl(page, base, starts, names).items():
            problems[f"{who} {path}"] = words
    assert problems == {}, "\n".join(f"{page}: {' '.join(words)}" for page, words in sorted(problems.items()))


def test_the_word_check_catches_english_and_spares_italian_and_proper_names():
    assert english_words("Your number was reported by 3 people") == [
        "Your",
        "by",
        "number",
        "people",
        "reported",
        "was",
    ]
    assert english_words("Il tuo numero è stato segnalato da 3 persone su WhatsApp e Amazon") == []
    assert english_words("Scrivi a member01@demo.breachwatch.invalid o chiama +39 06 1234 5678") == []
    assert english_words("Invia il token a /api/v1/reports/ o apri commissariatodips.it") == []
    assert english_words("Sei collegato come Union Rep", frozenset({"Union", "Rep"})) == []


def test_refused_passwords_and_form_errors_are_explained_in_italian(live_server, new_page):
    """The errors only a refused form shows: Django's password messages and the report form's field errors."""
    page = new_page(locale="it-IT")
    page.goto(live_server.url + "/accounts/signup/")
    page.locator("input[name=email]").fill("nuova.persona@example.org")
    for name in ("password1", "password2"):
        page.locator(f"input[name={name}]").fill("1234567")
    page.locator("form[action='/accounts/signup/'] button[type=submit]:not([form])").click()
    page.wait_for_load_state()

    text = page.inner_text("main")
    assert "troppo corta" in text and "interamente numerica" in text, text
    assert english_words(text) == [], text
