"""The stored evidence: the tasks that recompute it, the surge signal sent once, the command and the officer page."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import timezone

from apps.accounts.models import AuditEvent, User
from apps.insights.linkage.compute import compute_evidence
from apps.insights.models import BreachEvidence, SurgeSignal
from apps.insights.signals import surge_detected
from apps.insights.tasks import breach_evidence_compute, breach_evidence_compute_all
from apps.reports.models import ContactReport
from breachwatch.celery import app
from tests.insights.evidence_scenarios import PERIOD_END, PERIOD_START, make_breach, plant

pytestmark = pytest.mark.django_db


@pytest.fixture
def signals():
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    surge_detected.connect(receiver, dispatch_uid="test-evidence")
    yield received
    surge_detected.disconnect(dispatch_uid="test-evidence")


@pytest.fixture
def planted(monkeypatch):
    """A surge planted in a period that ends today (the default period ends yesterday)."""
    scenario = plant(seed=11)
    shift = timezone.localdate() - PERIOD_END - timedelta(days=1)
    # Move the breach into the default period: 180 days before the breach to yesterday covers the plant.
    scenario.breach.occurred_on += shift
    scenario.breach.save(update_fields=["occurred_on"])
    ContactReport.objects.update(occurred_at=F("occurred_at") + shift)
    User.objects.update(date_joined=F("date_joined") + shift)  # observed from the plant's first day on
    scenario.onset += shift
    return scenario


def test_the_task_stores_the_evidence_with_its_period_and_inputs(planted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        breach_evidence_compute.delay(planted.breach.pk)

    evidence = BreachEvidence.objects.get(breach=planted.breach)
    assert evidence.period_end == timezone.localdate() - timedelta(days=1)
    assert evidence.period_start == planted.breach.occurred_on - timedelta(days=180)
    assert evidence.members == 40 and evidence.controls == 40 and evidence.reports == planted.reports
    assert evidence.first_report is not None and evidence.method_version >= 1
    assert abs((evidence.onset_day - planted.onset).days) <= 3
    assert {row["e164"] for row in evidence.result["linked_numbers"]} == set(planted.campaign)


def test_a_surge_is_signalled_once_however_often_it_is_recomputed(planted, signals, django_capture_on_commit_callbacks):
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            breach_evidence_compute.delay(planted.breach.pk)

    assert len(signals) == 1
    assert signals[0]["breach"] == planted.breach
    assert abs((date.fromisoformat(signals[0]["onset"]["date"]) - planted.onset).days) <= 3
    assert SurgeSignal.objects.filter(breach=planted.breach).count() == 1
    assert BreachEvidence.objects.count() == 1  # one row per breach, replaced


def test_no_surge_no_signal(signals, django_capture_on_commit_callbacks):
    scenario = plant(seed=12, surge=None)

    with django_capture_on_commit_callbacks(execute=True):
        breach_evidence_compute.delay(scenario.breach.pk)

    assert signals == [] and not SurgeSignal.objects.exists()
    assert BreachEvidence.objects.get().onset_day is None


def test_the_nightly_task_recomputes_every_breach_and_is_in_the_beat_schedule(django_capture_on_commit_callbacks):
    make_breach("first")
    make_breach("second", occurred=timezone.localdate() + timedelta(days=30))

    assert breach_evidence_compute_all.delay().get() == 2

    stored = {e.breach.slug: e for e in BreachEvidence.objects.select_related("breach")}
    assert set(stored) == {"first", "second"}
    assert [r["code"] for r in stored["second"].result["not_enough_data"]] == ["breach_in_future"]
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "insights.breach_evidence_compute_all" in tasks


def test_a_deleted_breach_is_skipped_by_its_queued_task():
    breach_evidence_compute.delay(987654)

    assert not BreachEvidence.objects.exists()


def test_the_command_prints_the_full_evidence_as_json():
    scenario = plant(seed=13, members=20, controls=20)
    out = StringIO()

    call_command(
        "breach_evidence", scenario.breach.slug, "--from", PERIOD_START.isoformat(), "--to", PERIOD_END.isoformat(),
        "--json", stdout=out,
    )  # fmt: skip

    evidence = json.loads(out.getvalue())
    for key in ("members", "controls", "rate_ratio_vs_controls", "rate_ratio_vs_before", "onset", "linked_numbers",
                "campaigns", "did", "caller_knowledge", "conduct", "not_enough_data", "period",
                "method_version"):  # fmt: skip
        assert key in evidence
    assert set(evidence["rate_ratio_vs_controls"]) >= {"estimate", "low", "high"}
    assert set(evidence["onset"]) >= {"date", "low", "high", "lag_from_occurred_days", "lag_from_disclosed_days"}
    assert set(evidence["linked_numbers"][0]) >= {"e164", "targets", "member_targets", "lift", "p_value"}
    assert set(evidence["campaigns"][0]) >= {"block", "numbers", "scripts", "countries", "first_seen", "last_seen"}
    assert evidence["period"] == {"start": "2024-10-01", "end": "2025-03-31", "days": 182}
    assert not BreachEvidence.objects.exists()  # the command computes, it does not store


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody"], "No breach is registered as “nobody”."),
        (["contest", "--from", "2025-31-01"], "is not a date"),
        (["contest", "--from", "2025-03-01", "--to", "2025-01-01"], "The period ends before it starts."),
    ],
)
def test_the_command_refuses_bad_input_with_a_message(args, message):
    make_breach("contest")

    with pytest.raises(CommandError, match=message):
        call_command("breach_evidence", *args, "--json", "--lang", "en", stdout=StringIO(), stderr=StringIO())


@pytest.fixture
def officer(make_person, with_totp):
    person = make_person("officer@example.org", is_staff=True)
    with_totp(person)
    return person


def test_an_officer_sees_every_breach_with_its_stored_evidence(client, officer, django_capture_on_commit_callbacks):
    scenario = plant(seed=14, members=20, controls=20)
    make_breach("never-computed")
    result = compute_evidence(scenario.breach, start=PERIOD_START, end=PERIOD_END)
    BreachEvidence.objects.create(
        breach=scenario.breach, period_start=PERIOD_START, period_end=PERIOD_END, method_version=1, result=result
    )
    client.force_login(officer)

    listing = client.get("/officers/evidence/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    detail = client.get(f"/officers/evidence/{scenario.breach.slug}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    italian = client.get(f"/officers/evidence/{scenario.breach.slug}/", HTTP_ACCEPT_LANGUAGE="it")

    assert "never-computed" in listing and "Not computed yet." in listing and "Recompute" in listing
    assert "The surge began on" in detail and scenario.campaign[0] in detail
    assert "Numbers linked to the breach" in detail
    assert "Fake Amazon voucher" in detail and "Nigeria" in detail  # labels, not codes
    assert italian.status_code == 200 and "Numeri collegati alla violazione" in italian.content.decode()
    assert "intervallo al 95%" in italian.content.decode() and "%%" not in italian.content.decode()


def test_an_officer_recomputes_a_breach_and_it_is_audited(client, officer, django_capture_on_commit_callbacks):
    breach = make_breach("contest")
    client.force_login(officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/officers/evidence/{breach.slug}/recompute/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302 and response["Location"] == f"/officers/evidence/{breach.slug}/"
    assert BreachEvidence.objects.filter(breach=breach).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.EVIDENCE_RECOMPUTED)
    assert event.actor == officer and event.target == "breach contest"
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Fewer than 10 proven members" in page or "No dataset has been imported" in page


def test_recomputing_needs_a_post(client, officer):
    breach = make_breach("contest")
    client.force_login(officer)

    assert client.get(f"/officers/evidence/{breach.slug}/recompute/").status_code == 405


@pytest.mark.parametrize("who", ["anonymous", "member", "staff_without_second_factor"])
def test_nobody_but_an_officer_sees_or_recomputes_the_evidence(client, make_person, who):
    breach = make_breach("contest")
    if who != "anonymous":
        client.force_login(make_person(f"{who}@example.org", is_staff=who != "member"))

    pages = [client.get("/officers/evidence/"), client.get(f"/officers/evidence/{breach.slug}/")]
    recompute = client.post(f"/officers/evidence/{breach.slug}/recompute/")

    for response in [*pages, recompute]:
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert "/officers/evidence/" not in response["Location"].split("?")[0]
    assert not BreachEvidence.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EVIDENCE_RECOMPUTED).exists()
