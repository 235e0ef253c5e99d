from datetime import timedelta

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from apps.accounts.privacy import account_erase
from apps.reports import scoring
from apps.reports.models import CallerNumber, ContactReport
from apps.reports.moderation import caller_number_allowlist, dispute_raise, report_hide
from apps.reports.services import caller_number_refresh, caller_numbers_rebuild
from tests.reports.conftest import SCAM_E164

pytestmark = pytest.mark.django_db

COUNTERS = [
    "first_seen",
    "last_seen",
    "reports_count",
    "reporters_count",
    "evidence",
    "legitimate_evidence",
    "spam_confidence",
    "is_public",
]


def scam() -> CallerNumber:
    return CallerNumber.objects.get(e164=SCAM_E164)


def test_the_wilson_lower_bound_grows_with_evidence_and_falls_with_legitimate_evidence():
    assert scoring.wilson_lower_bound(0, 0) == 0
    assert scoring.wilson_lower_bound(3, 0) == pytest.approx(0.4385, abs=1e-4)
    assert scoring.wilson_lower_bound(10, 0) > scoring.wilson_lower_bound(3, 0)
    assert scoring.wilson_lower_bound(10, 2) < scoring.wilson_lower_bound(10, 0)
    assert 0 <= scoring.wilson_lower_bound(1, 50) < 0.05


def test_one_reporter_counts_once_however_many_times_they_report(reporter, submit):
    for _ in range(5):
        submit(reporter)

    number = scam()
    assert (number.reports_count, number.reporters_count, number.evidence) == (5, 1, 1.0)
    assert not number.is_public


def test_a_number_becomes_public_at_three_distinct_full_weight_reporters(make_reporters, submit):
    first, second, third = make_reporters(3)
    submit(first)
    submit(second)
    assert not scam().is_public

    submit(third)

    number = scam()
    assert number.is_public and number.reporters_count == 3
    assert number.spam_confidence == pytest.approx(scoring.wilson_lower_bound(3, 0), abs=1e-4)


def test_reports_from_accounts_without_verified_phone_or_exposure_weigh_less_and_are_marked(make_reporters, submit):
    unverified = make_reporters(3, exposed=False)
    reports = [submit(person) for person in unverified]

    number = scam()
    assert all(report.low_weight for report in reports)
    assert number.reporters_count == 3 and number.evidence == 1.5
    assert not number.is_public  # three throwaway accounts are not enough

    for person in make_reporters(2, exposed=False, prefix="more"):
        submit(person)
    number = scam()
    assert number.evidence == 2.5 and not number.is_public


def test_a_verified_phone_gives_full_weight(reporter, submit):
    assert submit(reporter).low_weight is False


def test_the_allowlist_wins_over_any_number_of_reports(make_reporters, submit, django_capture_on_commit_callbacks):
    officer = make_reporters(1, exposed=False, prefix="officer")[0]
    for person in make_reporters(3):
        submit(person)
    with django_capture_on_commit_callbacks(execute=True):
        caller_number_allowlist(number=scam(), actor=officer, reason="INPS switchboard")

    for person in make_reporters(10, prefix="late"):
        submit(person)

    number = scam()
    assert number.is_allowlisted and not number.is_public
    assert number.reporters_count == 13


def test_hidden_reports_stop_counting(make_reporters, submit, django_capture_on_commit_callbacks):
    reports = [submit(person) for person in make_reporters(3)]
    assert scam().is_public

    with django_capture_on_commit_callbacks(execute=True):
        report_hide(report=reports[0], actor=None, reason="abusive notes")

    number = scam()
    assert number.reporters_count == 2 and number.reports_count == 2 and not number.is_public


def test_an_open_dispute_lowers_the_confidence_but_not_the_public_threshold(
    make_reporters, submit, django_capture_on_commit_callbacks
):
    for person in make_reporters(4):
        submit(person)
    before = scam().spam_confidence

    with django_capture_on_commit_callbacks(execute=True):
        dispute_raise(number=scam(), who="Acme call centre", reason="We call our customers from this line.")

    number = scam()
    assert number.legitimate_evidence == 1 and number.spam_confidence < before
    assert number.is_public


def test_first_and_last_seen_span_the_visible_reports(reporter, submit):
    early, late = timezone.now() - timedelta(days=30), timezone.now() - timedelta(days=1)
    submit(reporter, occurred_at=late)
    submit(reporter, occurred_at=early)

    number = scam()
    assert (number.first_seen, number.last_seen) == (early, late)


def test_a_full_rebuild_gives_the_same_counters_as_the_incremental_path(
    make_reporters, submit, django_capture_on_commit_callbacks
):
    exposed, unverified = make_reporters(4), make_reporters(3, exposed=False, prefix="anon")
    for index, person in enumerate(exposed + unverified):
        for days in range(index % 3 + 1):
            submit(person, occurred_at=timezone.now() - timedelta(days=days, hours=index))
        submit(person, caller_number=f"+92 300 00000{index}")
    with django_capture_on_commit_callbacks(execute=True):
        report_hide(report=ContactReport.objects.first(), actor=None, reason="test")
        dispute_raise(number=scam(), who="Someone", reason="It is ours.")
    incremental = {n.e164: model_to_dict(n, fields=COUNTERS) for n in CallerNumber.objects.all()}

    CallerNumber.objects.update(reports_count=0, reporters_count=0, evidence=0, spam_confidence=0, is_public=False)
    assert caller_numbers_rebuild() == CallerNumber.objects.count() == 8

    rebuilt = {n.e164: model_to_dict(n, fields=COUNTERS) for n in CallerNumber.objects.all()}
    assert rebuilt == incremental
    assert incremental[SCAM_E164]["is_public"]


def test_refreshing_a_number_twice_changes_nothing(make_reporters, submit):
    for person in make_reporters(3):
        submit(person)
    before = model_to_dict(scam(), fields=COUNTERS)

    caller_number_refresh(scam().pk)

    assert model_to_dict(scam(), fields=COUNTERS) == before


def test_erasing_a_reporter_keeps_their_reports_as_anonymous_contributions(
    make_reporters, submit, django_capture_on_commit_callbacks
):
    people = make_reporters(3)
    phone = people[0].phones.create(digest=b"x" * 32, number="+393100000999")
    for person in people:
        submit(person, notes="my neighbour Mario Rossi", contacted_phone=phone if person == people[0] else None)
    submit(people[0], caller_number="+92 300 0000001")

    with django_capture_on_commit_callbacks(execute=True):
        account_erase(person=people[0])

    erased = ContactReport.objects.filter(reporter__isnull=True)
    assert erased.count() == 2
    assert set(erased.values_list("notes", flat=True)) == {""}
    assert erased.filter(contacted_phone__isnull=False).count() == 0
    assert len(set(erased.values_list("contributor", flat=True))) == 1  # still one unit of evidence
    number = scam()
    assert number.reporters_count == 3 and number.is_public
    caller_number_refresh(number.pk)
    assert model_to_dict(scam(), fields=COUNTERS) == model_to_dict(number, fields=COUNTERS)


def test_earlier_reports_weigh_fully_once_the_reporter_verifies_a_phone(
    make_person, sms_outbox, django_capture_on_commit_callbacks
):
    import re

    from django.utils import timezone

    from apps.accounts.services.phones import phone_add, phone_verify
    from apps.reports.models import CallerNumber, ContactReport
    from apps.reports.services import report_submit

    person = make_person("late@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        report_submit(reporter=person, caller_number="+234 803 123 4567", channel="call", occurred_at=timezone.now())
    assert ContactReport.objects.get().low_weight
    before = CallerNumber.objects.get().spam_confidence

    with django_capture_on_commit_callbacks(execute=True):
        phone = phone_add(person=person, raw_number="333 123 4567")
        phone_verify(phone=phone, code=re.search(r"\d{6}", sms_outbox[-1].text).group())

    assert not ContactReport.objects.get().low_weight
    assert CallerNumber.objects.get().spam_confidence > before


def test_declaring_a_breach_gives_no_weight_but_a_dataset_match_does(
    make_person, organisation, django_capture_on_commit_callbacks
):
    from datetime import date

    from django.utils import timezone

    from apps.breaches.matching import _create_matches, exposure_declare
    from apps.breaches.models import Breach, Exposure
    from apps.reports.models import ContactReport
    from apps.reports.services import report_submit

    person = make_person("declarer@example.org")
    breach = Breach.objects.create(organisation=organisation, title="Old", slug="old", occurred_on=date(2020, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        report_submit(reporter=person, caller_number="+234 803 123 4567", channel="sms", occurred_at=timezone.now())
        exposure_declare(person=person, breach=breach)
    assert ContactReport.objects.get().low_weight  # anyone can declare anything with one click

    with django_capture_on_commit_callbacks(execute=True):
        _create_matches({person.pk: {breach.pk}})  # what a dataset import's matching does
    assert Exposure.objects.filter(person=person).count() == 2
    assert not ContactReport.objects.get().low_weight
