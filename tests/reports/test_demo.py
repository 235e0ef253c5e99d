import time

import phonenumbers
import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict

from apps.core.models import DemoScenario
from apps.reports.models import CallerNumber, ContactReport
from apps.reports.services import caller_numbers_rebuild

pytestmark = pytest.mark.django_db

COUNTERS = ["reports_count", "reporters_count", "evidence", "spam_confidence", "is_public", "first_seen", "last_seen"]


def test_the_demo_seeds_modest_deterministic_reports_that_make_a_few_numbers_public(client):
    call_command("seed_demo")

    summary = DemoScenario.objects.get().summary["apps.reports.demo.contact_reports"]
    assert 300 <= summary["reports"] <= 2000 and summary["reports"] == ContactReport.objects.count()
    public = CallerNumber.objects.public()
    assert 5 <= public.count() <= 20
    assert not CallerNumber.objects.get(e164="+2348880000501").is_public  # low-weight reporters only
    assert CallerNumber.objects.get(e164="+2348880000501").reporters_count == 4
    assert ContactReport.objects.filter(occurred_at__date__lt="2024-11-15").count() == 0
    assert all(not phonenumbers.is_valid_number(phonenumbers.parse(n.e164)) for n in CallerNumber.objects.all())

    number = public.first()
    page = client.get(f"/numbers/{number.e164}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "INPS Servizi" in page  # the breach its reporters were in


def test_the_demo_counters_equal_a_rebuild_and_reseeding_gives_the_same_reports():
    call_command("seed_demo")
    first = sorted(ContactReport.objects.values_list("caller__e164", "channel", "occurred_at", "script"))
    seeded = {n.e164: model_to_dict(n, fields=COUNTERS) for n in CallerNumber.objects.all()}

    caller_numbers_rebuild()
    assert {n.e164: model_to_dict(n, fields=COUNTERS) for n in CallerNumber.objects.all()} == seeded

    call_command("seed_demo", "--reset")
    assert sorted(ContactReport.objects.values_list("caller__e164", "channel", "occurred_at", "script")) == first


def test_the_reports_demo_step_is_fast():
    call_command("seed_demo")
    from apps.core.demo import DemoContext
    from apps.reports.demo import contact_reports

    started = time.perf_counter()
    import random

    from django.utils import timezone

    contact_reports(DemoContext(rng=random.Random(1), now=timezone.now()))

    assert time.perf_counter() - started < 5
