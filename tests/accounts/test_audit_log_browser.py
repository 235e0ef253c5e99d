"""An officer filters the audit log by action in a real browser and downloads it as CSV."""

from pathlib import Path

import pytest

from apps.accounts.audit import audit
from apps.accounts.models import AuditEvent
from tests.conftest import browser_session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_filters_the_audit_log_and_downloads_it(live_server, new_page, screenshot, make_person, with_totp):
    officer = make_person("maria.rossi@example.org", is_staff=True, display_name="Maria Rossi")
    with_totp(officer)
    audit(actor=officer, action=AuditEvent.Action.BREACH_SAVED, target="breach 3")
    audit(actor=officer, action=AuditEvent.Action.MODERATED, target="report 12", moderation="report_hidden")
    page = new_page(locale="it-IT")
    page.context.add_cookies([browser_session_cookie(live_server, officer)])

    page.goto(live_server.url + "/officers/audit/")
    page.select_option("select[name=action]", "moderated")
    page.locator(".moderation-filters button[type=submit]").click()
    page.wait_for_url("**action=moderated**")

    rows = page.locator("#audit-events tbody tr")
    assert rows.count() == 1 and "Maria R. (operatore)" in rows.first.inner_text()
    screenshot(page, "officer-audit-log-it")
    with page.expect_download() as download:
        page.get_by_role("link", name="Scarica in CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "12" in text and "moderazione" in text and "violazione" not in text
    assert AuditEvent.objects.filter(action="exported", target="audit log CSV").exists()
