"""The privacy notice, about, contact and status pages: filled from the operator's settings, linked everywhere."""

import pytest

pytestmark = pytest.mark.django_db

OPERATOR = {
    "SITE_OPERATOR_NAME": "Sportello Truffe APS",
    "SITE_OPERATOR_ADDRESS": "Via Nazionale 10, 00184 Roma",
    "SITE_CONTACT_EMAIL": "scrivici@sportello.example",
    "SITE_DPO_EMAIL": "dpo@sportello.example",
    "SITE_BACKUP_RETENTION_DAYS": 14,
}


@pytest.fixture
def operator(settings):
    for name, value in OPERATOR.items():
        setattr(settings, name, value)


def test_the_privacy_notice_names_the_controller_its_dpo_and_how_to_complain_to_the_garante(operator, client):
    page = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="it").content.decode()

    assert "Sportello Truffe APS" in page and "Via Nazionale 10, 00184 Roma" in page
    assert 'href="mailto:scrivici@sportello.example"' in page and 'href="mailto:dpo@sportello.example"' in page
    assert "Garante per la protezione dei dati personali" in page and "Piazza Venezia 11, 00187 Roma" in page
    assert "https://www.garanteprivacy.it/" in page
    assert "14 giorni" in page  # the operator's backup retention
    assert "Base giuridica" in page and "art. 6, par. 1, lett. f" in page
    # The rights the site already offers point at the pages that exercise them.
    assert 'href="/me/erase/"' in page and 'href="/me/"' in page and 'href="/me/reports/"' in page


def test_without_a_dpo_the_notice_says_none_is_appointed(operator, settings, client):
    settings.SITE_DPO_EMAIL = ""

    page = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "No data protection officer has been appointed" in page


def test_about_and_contact_name_the_operator(operator, client):
    about = client.get("/about/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    contact = client.get("/contact/", HTTP_ACCEPT_LANGUAGE="it").content.decode()

    assert "Sportello Truffe APS" in about and "Via Nazionale 10, 00184 Roma" in about
    assert 'href="mailto:scrivici@sportello.example"' in contact and "Polizia Postale" in contact


def test_the_status_page_says_in_words_that_the_service_works(client):
    response = client.get("/status/", HTTP_ACCEPT_LANGUAGE="it")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "Funziona tutto." in response.content.decode()
    assert client.get("/healthz").json()["ok"] is True  # the probes keep their JSON


def test_the_status_page_says_which_part_is_down(client, monkeypatch):
    from apps.core import views

    monkeypatch.setattr(
        views,
        "overall_status",
        lambda: {"ok": False, "database": {"ok": True}, "broker": {"ok": False, "mode": "broker"}, "worker": {}},
    )

    response = client.get("/status/", HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert response.status_code == 503
    assert "Part of the service is not working" in page and "not reachable" in page


@pytest.mark.parametrize("path", ["/", "/breaches/", "/accounts/signup/", "/accounts/login/", "/privacy/"])
def test_every_footer_links_the_privacy_notice_about_contact_and_the_status_page(path, client):
    page = client.get(path, HTTP_ACCEPT_LANGUAGE="it").content.decode()
    footer = page.split("<footer")[1]

    for href in ('href="/privacy/"', 'href="/about/"', 'href="/contact/"', 'href="/status/"'):
        assert href in footer
    assert 'href="/healthz"' not in footer


def test_the_sign_up_page_links_the_privacy_notice(client):
    page = client.get("/accounts/signup/", HTTP_ACCEPT_LANGUAGE="it").content.decode()
    main = page.split("<main")[1].split("</main>")[0]

    assert 'href="/privacy/"' in main and "informativa sulla privacy" in main


@pytest.mark.browser
def test_the_privacy_notice_reads_in_italian_from_the_footer_on_a_phone_and_a_desktop(
    operator, live_server, new_page, screenshot
):
    for width, name in ((390, "phone"), (1280, "desktop")):
        page = new_page(locale="it-IT", width=width)
        page.goto(live_server.url + "/")
        page.locator("footer").get_by_role("link", name="Informativa sulla privacy").click()

        assert page.locator("h1").inner_text() == "Informativa sulla privacy"
        assert page.get_by_text("Sportello Truffe APS").first.is_visible()
        assert page.get_by_role("heading", name="Come presentare un reclamo").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"privacy-it-{name}")
        for path, shot in (("/about/", "about"), ("/contact/", "contact"), ("/status/", "status")):
            page.goto(live_server.url + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            screenshot(page, f"{shot}-it-{name}")
        page.goto(live_server.url + "/accounts/signup/")
        screenshot(page, f"signup-it-{name}")
