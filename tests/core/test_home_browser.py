import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_opens_in_italian_for_an_italian_browser(live_server, new_page, screenshot):
    page = new_page(locale="it-IT")
    page.goto(live_server.url + "/")

    assert page.locator("html").get_attribute("lang") == "it"
    assert "Dicci chi ti chiama" in page.locator("h1").inner_text()
    assert screenshot(page, "home-it-desktop").stat().st_size > 10_000


def test_home_page_opens_in_english_for_an_english_browser_on_a_phone(live_server, new_page, screenshot):
    page = new_page(locale="en-GB", width=390, height=844)
    page.goto(live_server.url + "/")

    assert page.locator("html").get_attribute("lang") == "en"
    assert "Tell us who calls you" in page.locator("h1").inner_text()
    # Nothing spills sideways on a phone: the page is no wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert screenshot(page, "home-en-phone").stat().st_size > 10_000


def test_language_switch_turns_the_italian_page_english_and_remembers_it(live_server, new_page):
    page = new_page(locale="it-IT")
    page.goto(live_server.url + "/")

    page.get_by_role("button", name="EN").click()

    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(live_server.url + "/")
    assert "Tell us who calls you" in page.locator("h1").inner_text()


def test_styles_are_served_locally_without_a_cdn(live_server, new_page):
    page = new_page()
    failed, external = [], []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(live_server.url + "/")

    assert failed == [] and external == []
    # Pico's stylesheet applied: the brand colour reaches the language switch.
    color = page.locator(".current-language").evaluate("el => getComputedStyle(el).color")
    assert color == "rgb(29, 78, 137)"
