from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from apps.reports import services
from apps.reports.models import CallerNumber, ContactReport
from tests.reports.conftest import SCAM_E164, give_verified_phone

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("+234 803 123 4567", "+2348031234567"),
        ("00234 8031234567", "+2348031234567"),
        ("3331234567", "+393331234567"),
        ("+39 06 1234 5678", "+390612345678"),
    ],
)
def test_report_submit_normalises_number_to_e164(reporter, submit, typed, e164):
    report = submit(reporter, caller_number=typed)

    assert report.caller.e164 == e164


def test_report_submit_enriches_the_caller_number_once(reporter, submit):
    report = submit(reporter)

    caller = CallerNumber.objects.get(pk=report.caller_id)
    assert (caller.country, caller.country_name, caller.carrier, caller.line_type) == ("NG", "Nigeria", "MTN", "mobile")
    assert caller.valid and caller.possible


def test_a_repeated_number_is_not_enriched_again(reporter, submit, monkeypatch):
    calls, real_enrich = [], services.enrich
    monkeypatch.setattr(services, "enrich", lambda e164: calls.append(e164) or real_enrich(e164))
    submit(reporter)
    submit(reporter)
    submit(reporter, caller_number="00234 803 123 4567")

    assert calls == [SCAM_E164]
    assert CallerNumber.objects.count() == 1


def test_a_number_that_is_only_possible_is_kept_and_marked_not_valid(reporter, submit):
    report = submit(reporter, caller_number="+880 1011 000000")  # right length, range not assigned

    assert report.caller.e164 == "+8801011000000"
    assert report.caller.valid is False and report.caller.possible is True
    assert report.caller.country == "BD" and report.caller.carrier == ""


def test_every_optional_detail_is_stored(reporter, submit):
    phone = reporter.phones.get()
    report = submit(
        reporter,
        channel="silent_call",
        script="fake_amazon_voucher",
        impersonated_brand=" Amazon ",
        caller_knew=["birth_date", "name", "name"],
        outcome="lost_money",
        loss_eur="250,5",
        notes="They called at 8:30",
        contacted_phone=phone,
        silent_seconds=4,
        background_noise=False,
    )

    report.refresh_from_db()
    assert report.impersonated_brand == "Amazon"
    assert report.caller_knew == ["name", "birth_date"]
    assert report.loss_eur == Decimal("250.50")
    assert report.contacted_phone == phone
    assert (report.silent_seconds, report.background_noise) == (4, False)


def errors_of(excinfo) -> dict:
    """The field errors in English (the messages are lazy, translated when shown)."""
    with translation.override("en"):
        return {field: [str(m) for m in messages] for field, messages in excinfo.value.message_dict.items()}


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("call me", "This does not look like a phone number"),
        ("12", "too short"),
        ("+39 333 123 4567 8901 2345", "too long"),
        ("333 ABC 4567", "This does not look like a phone number"),
        ("📞 333 123 4567", "This does not look like a phone number"),
        ("", "Enter a phone number."),
        ("x" * 100_000, "too long"),
    ],
)
def test_a_bad_number_is_a_field_error_on_caller_number(reporter, submit, typed, message):
    with pytest.raises(ValidationError) as excinfo:
        submit(reporter, caller_number=typed)

    assert message in " ".join(errors_of(excinfo)["caller_number"])
    assert not ContactReport.objects.exists()


def test_one_of_the_reporters_own_numbers_is_refused(reporter, submit):
    give_verified_phone(reporter, "+393331234567")

    with pytest.raises(ValidationError) as excinfo:
        submit(reporter, caller_number="333 123 4567")

    assert "one of your own numbers" in errors_of(excinfo)["caller_number"][0]


def test_someone_elses_verified_number_can_be_reported(reporter, make_person, submit):
    give_verified_phone(make_person("other@example.org"), "+393331234567")

    assert submit(reporter, caller_number="333 123 4567").caller.e164 == "+393331234567"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"occurred_at": timezone.now() + timedelta(hours=1)}, "occurred_at", "in the future"),
        ({"occurred_at": datetime(1999, 12, 31, tzinfo=UTC)}, "occurred_at", "1 January 2000"),
        ({"occurred_at": "yesterday"}, "occurred_at", "Enter the date"),
        ({"outcome": "lost_money", "loss_eur": "-5"}, "loss_eur", "cannot be negative"),
        ({"outcome": "lost_money", "loss_eur": "NaN"}, "loss_eur", "Enter an amount"),
        ({"outcome": "lost_money", "loss_eur": "1e30"}, "loss_eur", "too large"),
        ({"outcome": "hung_up", "loss_eur": "10"}, "loss_eur", "only when the outcome"),
        ({"notes": "x" * 100_000}, "notes", "at most 2000 characters"),
        ({"notes": "nul\x00byte"}, "notes", "cannot be stored"),
        ({"notes": "lone \ud800 surrogate"}, "notes", "cannot be stored"),
        ({"impersonated_brand": "A" * 101}, "impersonated_brand", "At most 100"),
        ({"channel": "fax"}, "channel", "Choose how"),
        ({"script": "lottery"}, "script", "listed subjects"),
        ({"outcome": "cried"}, "outcome", "listed outcomes"),
        ({"caller_knew": ["shoe_size"]}, "caller_knew", "listed kinds"),
        ({"caller_knew": "name"}, "caller_knew", "listed kinds"),
        ({"silent_seconds": 5}, "silent_seconds", "Only for silent calls"),
        ({"channel": "silent_call", "silent_seconds": -1}, "silent_seconds", "from 0 to 3600"),
        ({"region_hint": "XX"}, "region_hint", "two-letter country code"),
    ],
)
def test_bad_details_are_field_errors(reporter, submit, fields, field, message):
    with pytest.raises(ValidationError) as excinfo:
        submit(reporter, **fields)

    assert message in " ".join(errors_of(excinfo)[field])


def test_a_clock_a_little_ahead_is_tolerated(reporter, submit):
    assert submit(reporter, occurred_at=timezone.now() + timedelta(minutes=3)).pk


def test_every_problem_is_reported_at_once(reporter, submit):
    with pytest.raises(ValidationError) as excinfo:
        submit(reporter, caller_number="abc", channel="fax", notes="x" * 3000)

    assert set(errors_of(excinfo)) == {"caller_number", "channel", "notes"}


def test_the_contacted_phone_must_be_the_reporters_own(reporter, make_person, submit):
    someone_elses = give_verified_phone(make_person("other@example.org"))

    with pytest.raises(ValidationError) as excinfo:
        submit(reporter, contacted_phone=someone_elses)

    assert "contacted_phone" in errors_of(excinfo)


def test_html_in_notes_is_stored_as_typed_and_never_interpreted_here(reporter, submit):
    report = submit(reporter, notes="<script>alert(1)</script>")

    assert ContactReport.objects.get(pk=report.pk).notes == "<script>alert(1)</script>"


def test_naive_times_are_read_in_the_sites_time_zone(reporter, submit):
    naive = datetime(2025, 1, 10, 8, 30)

    report = submit(reporter, occurred_at=naive)

    assert timezone.localtime(report.occurred_at).hour == 8
