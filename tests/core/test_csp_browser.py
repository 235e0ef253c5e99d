"""In a real browser the Content-Security-Policy blocks nothing the site itself serves: the main pages, a
signed-in person's pages and the API documentation (Swagger UI) load without a single violation."""

import pytest
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC = ["/", "/breaches/", "/numbers/", "/methods/", "/accounts/login/", "/accounts/signup/", "/api/docs/"]
SIGNED_IN = ["/me/", "/me/reports/", "/report/", "/me/api-token/"]
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


def violations_on(page, url: str) -> list[str]:
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(url, wait_until="networkidle")
    return page.evaluate("window.__violations") + console


def test_the_main_pages_and_the_api_docs_break_no_rule_of_the_policy(live_server, new_page, make_person):
    page = new_page(locale="it-IT")
    page.add_init_script(RECORD_VIOLATIONS)
    found = {path: violations_on(page, live_server.url + path) for path in PUBLIC}
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("BreachWatch API")  # docs work

    client = Client()
    client.force_login(make_person("csp@example.org"))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    found |= {path: violations_on(page, live_server.url + path) for path in SIGNED_IN}

    assert {path: v for path, v in found.items() if v} == {}
