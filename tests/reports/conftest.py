"""Fixtures for reports: people with and without a verified phone or an exposure, a breach, a submit helper."""

import itertools
from datetime import date, timedelta

import pytest
from django.utils import timezone

from apps.accounts.models import PersonalPhone
from apps.breaches.models import Breach, Exposure
from apps.phones.hashing import phone_digest

SCAM = "+234 803 123 4567"
SCAM_E164 = "+2348031234567"
_own_numbers = itertools.count(1)


def give_verified_phone(person, e164: str | None = None) -> PersonalPhone:
    """A verified phone of `person` (the one-time code flow is tested in tests/accounts)."""
    e164 = e164 or f"+39310{next(_own_numbers):07d}"
    return PersonalPhone.objects.create(
        person=person, digest=phone_digest(e164), number=e164, verified_at=timezone.now()
    )


@pytest.fixture
def breach(organisation):
    return Breach.objects.create(
        organisation=organisation,
        title="Acme contest archive",
        slug="acme-contest-2022",
        occurred_on=date(2024, 11, 15),
        data_categories=["name", "phone", "email"],
    )


@pytest.fixture
def reporter(make_person):
    """A person with a verified phone: their reports weigh fully."""
    person = make_person("reporter@example.org")
    give_verified_phone(person)
    return person


@pytest.fixture
def make_reporters(make_person, breach):
    """make_reporters(n, exposed=True) -> people exposed in `breach` (full weight) or with nothing (low weight)."""
    serial = itertools.count(1)

    def make(n: int, *, exposed: bool = True, prefix: str = "member"):
        people = []
        for _ in range(n):
            person = make_person(f"{prefix}{next(serial)}@example.org")
            if exposed:
                Exposure.objects.create(person=person, breach=breach, established=Exposure.Established.DATASET_MATCH)
            people.append(person)
        return people

    return make


@pytest.fixture
def submit(django_capture_on_commit_callbacks):
    """submit(reporter, caller_number=SCAM, **fields): report_submit with sensible defaults, on-commit run."""
    from apps.reports.services import report_submit

    def do(reporter, **fields):
        fields.setdefault("caller_number", SCAM)
        fields.setdefault("channel", "call")
        fields.setdefault("occurred_at", timezone.now() - timedelta(minutes=10))
        with django_capture_on_commit_callbacks(execute=True):
            return report_submit(reporter=reporter, **fields)

    return do


@pytest.fixture(autouse=True)
def _empty_cache():
    """Number breakdowns are cached per process; each test starts without them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def store_evidence(breach, make_person, organisation):
    """store_evidence(breach=breach, controls=10, observed_since=30 days ago) -> BreachEvidence: the breach's
    evidence computed and stored as the nightly run does, which is what names a breach on number pages and fills
    its blocklists. `controls` proven people outside the breach (an organisation's members, who report nothing)
    are observed alongside its members, everybody from `observed_since`; contacts reported today move to 3 days
    ago, since the evidence covers whole days up to yesterday. Calling it again recomputes."""
    from apps.accounts.models import Membership, User
    from apps.insights.linkage.store import breach_evidence_compute
    from apps.reports.models import ContactReport

    def store(*, breach=breach, controls: int = 10, observed_since: date | None = None):
        for i in range(controls):
            email = f"control{i}@example.org"
            person = User.objects.filter(email=email).first() or make_person(email)
            Membership.objects.get_or_create(person=person, organisation=organisation)
        today = timezone.now() - timedelta(days=1)
        for report in ContactReport.objects.filter(occurred_at__gte=today):
            ContactReport.objects.filter(pk=report.pk).update(occurred_at=report.occurred_at - timedelta(days=3))
        User.objects.update(reporting_since=observed_since or timezone.localdate() - timedelta(days=30))
        return breach_evidence_compute(breach=breach)

    return store
