"""The demo's reports tell the INPS Servizi story: a low background, then a surge from abroad after the leak."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count, Max, Min
from django.forms.models import model_to_dict
from django.utils import timezone

from apps.breaches.models import Exposure
from apps.reports.demo import (
    BACKGROUND_FROM,
    CAMPAIGNS,
    LOW_WEIGHT_NUMBER,
    ONE_OFF_NUMBERS,
)
from apps.reports.demo_numbers import demo_number_ok
from apps.reports.models import CallerNumber, Channel, ContactReport
from apps.reports.services import caller_numbers_rebuild
from tests.seeded_demo import seeded_demo

pytestmark = pytest.mark.django_db

COUNTERS = ["reports_count", "reporters_count", "evidence", "spam_confidence", "is_public", "first_seen", "last_seen"]
ROME = ZoneInfo("Europe/Rome")
LEAK = date(2024, 11, 15)
SURGE_COUNTRIES = {"NG", "BD", "PK", "IN", "ID"}


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    with seeded_demo(django_db_blocker) as scenario:
        yield scenario


def _per_day(reports, first: date, last: date) -> float:
    """Reports per day from `first` to `last` included (local dates)."""
    return reports.filter(occurred_at__date__range=(first, last)).count() / ((last - first).days + 1)


def test_the_demo_seeds_tens_of_thousands_of_reports_about_campaign_numbers(demo, client):
    summary = demo.summary["apps.reports.demo.contact_reports"]
    days = (timezone.localdate() - BACKGROUND_FROM).days
    assert 30_000 <= summary["reports"] == ContactReport.objects.count() <= 60 * days  # ~31 a day once decayed
    assert summary["reports"] == summary["background"] + summary["inps_surge"] + summary["telconova_surge"] + (
        ContactReport.objects.filter(caller__e164__in=[LOW_WEIGHT_NUMBER, *ONE_OFF_NUMBERS]).count()
    )

    public = CallerNumber.objects.public()
    prefixes = tuple(c.prefix for c in CAMPAIGNS)
    assert public.count() >= 50 and all(n.e164.startswith(prefixes) for n in public)
    assert not public.filter(e164__in=[LOW_WEIGHT_NUMBER, *ONE_OFF_NUMBERS]).exists()
    assert public.filter(reporters_count__gte=10).count() >= 10  # "top numbers" lists have something to show
    low = CallerNumber.objects.get(e164=LOW_WEIGHT_NUMBER)
    assert not low.is_public and low.reporters_count == 4  # low-weight reporters only: 2 units of evidence
    assert ContactReport.objects.filter(caller=low, low_weight=False).count() == 0
    assert all(1 <= n.reporters_count <= 2 for n in CallerNumber.objects.filter(e164__in=ONE_OFF_NUMBERS))

    number = public.first()
    page = client.get(f"/numbers/{number.e164}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "INPS Servizi" in page  # the breach its reporters were in


def test_every_caller_number_is_unassigned_and_carries_marked_synthetic_enrichment():
    numbers = list(CallerNumber.objects.all())
    assert all(demo_number_ok(n.e164) and not n.valid for n in numbers)  # possible, assigned to no operator
    assert all(n.carrier.endswith("(demo)") and n.line_type in {"mobile", "voip", "fixed"} for n in numbers)
    assert {"NG", "BD", "PK", "IN", "ID", "IT"} <= {n.country for n in numbers}
    assert {"MTN (demo)", "Grameenphone (demo)", "Jazz (demo)", "Jio (demo)", "Telkomsel (demo)", "TIM (demo)"} <= {
        n.carrier for n in numbers
    }


def test_contacts_surge_for_the_leaked_members_a_few_days_after_the_leak():
    exposed = Exposure.objects.filter(breach__slug="inps-servizi-concorso-2022").values("person")
    theirs = ContactReport.objects.filter(reporter__in=exposed)
    before = _per_day(theirs, BACKGROUND_FROM, LEAK - timedelta(days=1))
    surge = _per_day(theirs, date(2024, 11, 20), date(2025, 3, 31))
    yesterday = timezone.localdate() - timedelta(days=1)
    since = _per_day(theirs, date(2024, 11, 20), yesterday)
    recent = _per_day(theirs, yesterday - timedelta(days=89), yesterday)

    assert 320 * 0.03 < before < 320 * 0.05  # ~0.04 contacts per member per day
    assert surge > 5 * before and since > 2 * before  # ~0.3 per member per day, then ~0.08
    assert before < recent < surge  # still going on, at a lower level, up to the seeding day
    # Nobody called from the campaigns' countries before the leak; the Italian background was there already.
    assert not ContactReport.objects.filter(occurred_at__date__lt=LEAK, caller__country__in=SURGE_COUNTRIES).exists()
    assert ContactReport.objects.filter(occurred_at__date__lt=LEAK, caller__country="IT").count() > 2000
    first = theirs.filter(caller__country__in=SURGE_COUNTRIES).aggregate(first=Min("occurred_at"))["first"]
    assert LEAK < first.astimezone(ROME).date() <= LEAK + timedelta(days=7)

    # The members whose data was not in the leak (the control group) see no surge.
    others = ContactReport.objects.filter(reporter__memberships__organisation__slug="inps-servizi-demo").exclude(
        reporter__in=exposed
    )
    assert _per_day(others, date(2024, 11, 20), date(2025, 3, 31)) < 1.5 * _per_day(
        others, BACKGROUND_FROM, LEAK - timedelta(days=1)
    )


def test_contacts_come_in_working_hours_and_again_and_again():
    for occurred_at in ContactReport.objects.values_list("occurred_at", flat=True).iterator(chunk_size=5000):
        local = occurred_at.astimezone(ROME)
        assert local.isoweekday() != 7 and (8, 30) <= (local.hour, local.minute) < (20, 0), local

    # "12 calls in 3 days": one number calling one person again and again.
    pairs = (
        ContactReport.objects.values("reporter", "caller")
        .annotate(n=Count("pk"), first=Min("occurred_at"), last=Max("occurred_at"))
        .filter(n__gte=8)
    )
    assert sum(1 for p in pairs if p["last"] - p["first"] <= timedelta(days=4)) >= 20
    silent = ContactReport.objects.filter(channel=Channel.SILENT_CALL)
    assert silent.count() > 1000 and not silent.exclude(script="").exists()
    assert not silent.filter(silent_seconds__isnull=True).exists()
    assert {"Amazon", "Microsoft", "INPS"} <= set(ContactReport.objects.values_list("impersonated_brand", flat=True))


def test_the_demo_counters_equal_a_rebuild():
    seeded = {n.e164: model_to_dict(n, fields=COUNTERS) for n in CallerNumber.objects.all()}

    caller_numbers_rebuild()

    assert {n.e164: model_to_dict(n, fields=COUNTERS) for n in CallerNumber.objects.all()} == seeded
