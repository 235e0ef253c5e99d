"""A dashboard printed from the browser: no navigation, a header saying whose figures over which period and
when, every chart within the page."""

import pytest

from tests.conftest import browser_session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
A4_WIDTH = 794  # CSS pixels of an A4 sheet at 96 dpi


def test_a_printed_dashboard_has_its_header_no_navigation_and_charts_that_fit(
    live_server, new_page, screenshot, crowd, world, staff
):
    page = new_page(locale="it-IT", width=A4_WIDTH, height=1123)
    page.context.add_cookies([browser_session_cookie(live_server, staff["union"])])
    page.goto(live_server.url + f"/dashboards/{world.acme.slug}/?period=custom&start=2024-12&end=2025-01")
    assert page.locator(".print-header").is_hidden()  # on screen only the page's own heading
    assert page.locator("[data-print]").is_visible()

    page.emulate_media(media="print")

    header = page.locator(".print-header")
    assert header.is_visible()
    text = header.inner_text()
    assert "Acme Servizi" in text and "dicembre 2024 – gennaio 2025" in text.lower() and "Stampato il" in text
    for hidden in (".site-header", ".site-footer", "nav", ".stats-filters", "[data-print]", ".chart-table"):
        assert all(not element.is_visible() for element in page.locator(hidden).all()), hidden
    charts = page.locator("figure.chart svg")
    assert charts.count() >= 7
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box["width"] > 150 and box["x"] >= 0 and box["x"] + box["width"] <= A4_WIDTH, i
    assert page.evaluate("document.documentElement.scrollWidth") <= A4_WIDTH
    screenshot(page, "dashboard-print-it")
