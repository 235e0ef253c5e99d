"""The officers' audit log: people named by name and role (never an address), filters, pages, CSV export."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.accounts.audit import audit
from apps.accounts.models import AuditEvent, Membership, Union, UnionMandate

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def officer(make_person, with_totp):
    person = make_person("maria.rossi@example.org", is_staff=True, display_name="Maria Rossi")
    with_totp(person)
    return person


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def cast(make_person, organisation):
    """An HR person, a union representative and a member, each with a name and an address."""
    hr = make_person("luca.bianchi@example.org", display_name="Luca Bianchi")
    Membership.objects.create(person=hr, organisation=organisation, role=Membership.Role.HR)
    rep = make_person("sara.neri@example.org", display_name="Sara Neri")
    UnionMandate.objects.create(representative=rep, union=Union.objects.create(name="SLC CGIL", slug="slc"))
    member = make_person("anna.verdi@example.org", display_name="Anna Verdi")
    return {"hr": hr, "rep": rep, "member": member}


def test_the_log_names_staff_by_name_and_role_and_members_by_number_only(officer_client, officer, cast, organisation):
    audit(actor=cast["hr"], action=AuditEvent.Action.VIEWED, target="dashboard", organisation=organisation)
    audit(actor=cast["rep"], action=AuditEvent.Action.EXPORTED, target="dashboard CSV", organisation=organisation)
    audit(actor=cast["member"], action=AuditEvent.Action.DATA_EXPORTED, target="own data")

    page = officer_client.get("/officers/audit/", **EN).content.decode()

    assert "Luca B. (HR of Acme Servizi)" in page
    assert "Sara N. (union representative (SLC CGIL))" in page
    assert f"member #{cast['member'].pk}" in page
    assert "Anna" not in page and "Verdi" not in page
    for address in ("luca.bianchi@", "sara.neri@", "anna.verdi@"):
        assert address not in page


def test_the_log_filters_by_action_and_dates_and_comes_a_page_at_a_time(officer_client, officer):
    now = timezone.now()
    earlier = now - timedelta(days=10)
    AuditEvent.objects.bulk_create(
        AuditEvent(actor=officer, action="moderated", target=f"report {i}", at=earlier) for i in range(60)
    )
    AuditEvent.objects.create(actor=officer, action="breach_saved", target="breach 1", at=now - timedelta(days=10))
    AuditEvent.objects.create(actor=officer, action="moderated", target="report today", at=now)
    day = (timezone.localdate() - timedelta(days=10)).isoformat()

    first = officer_client.get("/officers/audit/", {"action": "moderated", "since": day, "until": day}, **EN)
    query = {"action": "moderated", "since": day, "until": day, "page": 2}
    second = officer_client.get("/officers/audit/", query, **EN)

    first, second = first.content.decode(), second.content.decode()
    assert "60 events" in first and "Page 1 of 2" in first
    assert first.count("<td>report ") == 50 and second.count("<td>report ") == 10
    assert "report today" not in first + second and "breach 1" not in first + second
    assert f"?action=moderated&amp;since={day}&amp;until={day}&amp;page=2" in first


@pytest.mark.parametrize(
    "query", [{"since": "yesterday"}, {"action": "drop_table"}, {"since": "2025-03-10", "until": "2025-03-01"}]
)
def test_bad_filters_are_explained_not_a_500(officer_client, query):
    response = officer_client.get("/officers/audit/", query, **EN)

    assert response.status_code == 200 and 'class="errorlist' in response.content.decode()


def test_the_csv_export_has_the_filtered_rows_is_safe_in_a_spreadsheet_and_is_itself_audited(
    officer_client, officer, cast, organisation
):
    cast["hr"].display_name = "=HYPERLINK(evil)"
    cast["hr"].save()
    organisation.name = "=HYPERLINK(evil)"
    organisation.save()
    audit(actor=cast["hr"], action=AuditEvent.Action.VIEWED, target="dashboard", organisation=organisation)
    audit(actor=officer, action=AuditEvent.Action.BREACH_SAVED, target="breach 7")

    response = officer_client.get("/officers/audit/export.csv", {"action": "viewed"}, **EN)

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["When", "Who", "Action", "What", "Organisation", "Details"]
    assert [row[3] for row in rows[1:]] == ["the organisation's dashboard"]  # as the reader's language names it
    assert rows[1][1] == "HYPERLINK (HR of =HYPERLINK(evil))"  # a name shows only its words
    assert rows[1][4] == "'=HYPERLINK(evil)"  # not a formula
    assert "@example.org" not in str(rows)
    export = AuditEvent.objects.get(action="exported", target="audit log CSV")
    assert export.actor == officer and export.details == {"filters": {"action": "viewed"}}


def test_only_officers_read_or_export_the_log(client, cast):
    client.force_login(cast["hr"])

    assert client.get("/officers/audit/").status_code in (302, 403)
    assert client.get("/officers/audit/export.csv").status_code in (302, 403)
    assert not AuditEvent.objects.filter(target="audit log CSV").exists()


def test_the_admin_is_branded_and_speaks_italian(officer_client, officer):
    officer.is_superuser = True  # sees every model, as the demo's officer does
    officer.save()

    page = officer_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="it").content.decode()

    assert "<title>Amministrazione | BreachWatch</title>" in page
    assert ">BreachWatch</a>" in page and "Django" not in page
    for english in ("Model name", "Add link", "Change or view list link", "Access attempts", "Access logs"):
        assert english not in page, english
    assert "Persone, ruoli e registro delle attività" in page
