"""Case officers review self-declared breach memberships: confirmed ones are proven (their reports count),
rejected ones are deleted and the person is told only that theirs was not confirmed."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from apps.accounts.models import AuditEvent
from apps.breaches.matching import exposure_declare
from apps.breaches.models import Breach, DeclarationRejection, Exposure
from apps.insights.models import ContributorScope
from apps.insights.rollups import rollups_update
from apps.insights.scopes import scope_for
from apps.reports.services import report_submit

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def old_leak(organisation):
    """A breach with no dataset: people can only declare it."""
    return Breach.objects.create(
        organisation=organisation, title="Old leak", slug="old-leak", occurred_on=date(2023, 5, 1)
    )


@pytest.fixture
def officer_client(client, make_person, with_totp):
    officer = make_person("officer@example.org", is_staff=True)
    with_totp(officer)
    client.force_login(officer)
    client.officer = officer
    return client


@pytest.fixture
def declared(make_person, old_leak, django_capture_on_commit_callbacks):
    """Three people who declared the old leak, each with one report; rollups applied."""
    people = []
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            person = make_person(f"declared{i}@example.org")
            exposure_declare(person=person, breach=old_leak)
            report_submit(
                reporter=person, caller_number="+234 803 123 4567", channel="call",
                occurred_at=timezone.now() - timedelta(hours=1 + i),
            )  # fmt: skip
            people.append(person)
    rollups_update()
    return people


def _counted_in(person, breach) -> bool:
    scope = scope_for(breach=breach)
    return scope is not None and ContributorScope.objects.filter(contributor=person.pk, scope=scope).exists()


def _decide(client, exposures, decision, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/officers/declarations/decide/", {"declaration": [e.pk for e in exposures], "decision": decision}, **EN
        )
    rollups_update()
    return response


@pytest.mark.parametrize("method", ["get", "post"])
def test_members_cannot_review_declarations(client, declared, method):
    client.force_login(declared[0])
    url = "/officers/declarations/" if method == "get" else "/officers/declarations/decide/"
    assert getattr(client, method)(url, {"declaration": [1], "decision": "accept"}).status_code == 403
    assert Exposure.objects.filter(established=Exposure.Established.SELF_DECLARED).count() == 3


def test_officers_see_the_pending_declarations(officer_client, declared, old_leak):
    page = officer_client.get("/officers/declarations/", **EN).content.decode()

    assert "3 declarations waiting" in page and page.count('name="declaration" value=') == 6  # tick box + button
    assert "Old leak" in page and "declared0@example.org" not in page
    assert AuditEvent.objects.filter(action=AuditEvent.Action.VIEWED, target="declarations").exists()


def test_confirming_makes_the_membership_proven_and_the_reports_count(
    officer_client, declared, old_leak, django_capture_on_commit_callbacks
):
    from tests.insights.conftest import assert_same_as_rebuild

    assert not any(_counted_in(p, old_leak) for p in declared)
    exposures = list(Exposure.objects.filter(person__in=declared[:2]))

    response = _decide(officer_client, exposures, "accept", django_capture_on_commit_callbacks)

    assert response.status_code == 302
    confirmed = Exposure.objects.proven().filter(breach=old_leak)
    assert set(confirmed.values_list("person_id", "established")) == {
        (declared[0].pk, "confirmed"), (declared[1].pk, "confirmed")
    }  # fmt: skip
    assert [_counted_in(p, old_leak) for p in declared] == [True, True, False]
    assert not declared[0].contact_reports.filter(low_weight=True).exists()  # full weight now
    events = AuditEvent.objects.filter(action=AuditEvent.Action.DECLARATION_REVIEWED)
    assert events.count() == 2 and {e.details["decision"] for e in events} == {"accepted"}
    assert "1 declaration waiting" in officer_client.get("/officers/declarations/", **EN).content.decode()
    assert_same_as_rebuild()


def test_rejecting_deletes_the_declaration_and_tells_the_person_nothing_more(
    officer_client, declared, old_leak, client, django_capture_on_commit_callbacks
):
    exposure = Exposure.objects.get(person=declared[0])
    _decide(officer_client, [exposure], "reject", django_capture_on_commit_callbacks)

    assert not Exposure.objects.filter(person=declared[0]).exists()
    assert DeclarationRejection.objects.filter(person=declared[0], breach=old_leak).exists()
    assert AuditEvent.objects.get(action=AuditEvent.Action.DECLARATION_REVIEWED).details == {"decision": "rejected"}
    assert not _counted_in(declared[0], old_leak)

    client.force_login(declared[0])
    page = client.get("/me/breaches/", **EN).content.decode()
    assert "Your declaration that you were in “Old leak” was not confirmed." in page
    assert 'action="/me/breaches/old-leak/declare/"' not in page  # not offered again
    assert client.post("/me/breaches/old-leak/declare/").status_code == 404


def test_a_pending_declaration_says_it_waits_for_review(client, declared):
    client.force_login(declared[1])
    page = client.get("/me/breaches/", **EN).content.decode()
    assert "A case officer will review your declaration." in page and "not confirmed" not in page


def test_a_decision_on_something_that_is_no_pending_declaration_changes_nothing(
    officer_client, declared, make_person, old_leak, django_capture_on_commit_callbacks
):
    matched = Exposure.objects.create(
        person=make_person("m@example.org"), breach=old_leak, established=Exposure.Established.DATASET_MATCH
    )
    response = _decide(officer_client, [matched], "reject", django_capture_on_commit_callbacks)
    assert response.status_code == 302 and Exposure.objects.filter(pk=matched.pk).exists()
    bad = officer_client.post("/officers/declarations/decide/", {"declaration": ["x"], "decision": "accept"}, **EN)
    assert bad.status_code == 302 and Exposure.objects.filter(established="self_declared").count() == 3


def test_moderation_marks_the_reports_of_people_not_yet_proven(
    officer_client, declared, make_person, organisation, django_capture_on_commit_callbacks
):
    proven = make_person("proven@example.org")
    Exposure.objects.create(
        person=proven,
        breach=Breach.objects.create(organisation=organisation, title="B", slug="b", occurred_on=date(2024, 1, 1)),
        established=Exposure.Established.DATASET_MATCH,
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = report_submit(
            reporter=proven, caller_number="+234 803 123 4567", channel="sms", occurred_at=timezone.now()
        )

    page = officer_client.get("/officers/reports/", **EN).content.decode()

    assert page.count("not counted in public figures until reviewed") == 3
    row = page.split(f'id="report-{report.pk}"')[1].split("</tr>")[0]
    assert "not counted in public figures" not in row
