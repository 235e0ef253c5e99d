"""Fixtures for insights: two organisations with their breaches, people in various scopes, and helpers that
report contacts through the real service and read the rollup tables back."""

import itertools
from datetime import UTC, date, datetime

import pytest

from apps.accounts.models import Membership, Union, UnionMandate
from apps.breaches.models import Breach, Exposure, Organisation
from apps.insights.models import ContactRollup, ContributorScope, FacetRollup, NumberRollup, Scope

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db, make_person):
    """Two organisations, a breach of each, and people: the scopes of DESIGN §5 in miniature."""
    acme = Organisation.objects.create(name="Acme Servizi", slug="acme")
    beta = Organisation.objects.create(name="Beta Telecom", slug="beta")
    contest = Breach.objects.create(
        organisation=acme, title="Acme contest", slug="acme-contest", occurred_on=date(2024, 11, 15)
    )
    customers = Breach.objects.create(
        organisation=beta, title="Beta customers", slug="beta-customers", occurred_on=date(2025, 3, 2)
    )

    def person(name, *, breaches=(), organisations=()):
        someone = make_person(f"{name}@example.org")
        for breach in breaches:
            Exposure.objects.create(person=someone, breach=breach, established=Exposure.Established.DATASET_MATCH)
        for organisation in organisations:
            Membership.objects.create(person=someone, organisation=organisation)
        return someone

    class World:
        pass

    w = World()
    w.acme, w.beta, w.contest, w.customers = acme, beta, contest, customers
    w.person = person
    return w


@pytest.fixture
def report(django_capture_on_commit_callbacks):
    """report(person, when, number="+234 803 …", channel=…, …): through report_submit, rollups updated."""
    from apps.reports.services import report_submit

    def do(person, when: datetime, *, number: str | None = None, **fields):
        fields.setdefault("channel", "call")
        with django_capture_on_commit_callbacks(execute=True):
            return report_submit(
                reporter=person, caller_number=number or f"+23480312{next(_numbers):05d}", occurred_at=when, **fields
            )

    return do


def at(year, month, day, hour=10, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def assert_same_as_rebuild():
    """Apply the queue; the incremental tables must equal a rebuild from scratch, and nothing stay queued."""
    from apps.insights.models import RollupChange
    from apps.insights.rebuild import rollups_rebuild
    from apps.insights.rollups import rollups_update

    rollups_update()
    incremental = rollup_tables()
    rollups_rebuild()
    assert rollup_tables() == incremental
    assert not RollupChange.objects.exists()


def rollup_tables() -> dict[str, list[tuple]]:
    """Every rollup row and applied scope, and each scope's registered people with their key sum, as sorted
    plain tuples (ids left out)."""
    tables = {}
    for model in (ContactRollup, FacetRollup, NumberRollup, ContributorScope):
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        tables[model.__name__] = sorted(model.objects.values_list(*fields), key=repr)
    people = Scope.objects.values_list("kind", "breach_id", "organisation_id", "people", "people_ckey")
    tables["ScopePeople"] = sorted(people, key=repr)
    return tables


NIGERIA_AMAZON = "+234 803 100 0001"
NIGERIA_SMS = "+234 803 100 0002"
ALBANIA = "+355 69 123 4567"
INDIA = "+91 98765 43210"


def add_reports(rows: list[dict]) -> list:
    """Store reports in one go (people, numbers and facts as report_submit would store them), queue them for
    the rollups like the service does, and apply the queue: a quick way to build a dataset."""
    from apps.insights.rollups import rollups_update
    from apps.phones.normalise import normalise_phone
    from apps.reports.brands import brands_attach
    from apps.reports.counters import caller_number_refresh
    from apps.reports.models import ContactReport
    from apps.reports.services import caller_number_get_or_create
    from apps.reports.signals import send_created

    reports = []
    for row in rows:
        row = dict(row)
        person, number = row.pop("person"), row.pop("number")
        caller = caller_number_get_or_create(normalise_phone(number, region="IT"))
        reports.append(ContactReport(reporter=person, contributor=person.pk, caller=caller, **row))
    brands_attach(reports)  # the curated brand each typed brand maps to, as report_create() sets it
    created = ContactReport.objects.bulk_create(reports)
    send_created(created)
    for caller_id in {r.caller_id for r in created}:
        caller_number_refresh(caller_id)
    rollups_update()
    return created


@pytest.fixture
def crowd(world):
    """24 people of Acme's contest breach: all called from Nigeria (a fake Amazon voucher in December, an SMS
    in January); a few small cells too: two people called from Albania by "UniCredit" (a curated brand), one
    on Telegram from India. Returns the people."""
    people = [world.person(f"p{i:02d}", breaches=[world.contest], organisations=[world.acme]) for i in range(24)]
    rows = []
    for i, person in enumerate(people):
        rows.append(
            {"person": person, "number": NIGERIA_AMAZON, "occurred_at": at(2024, 12, 2 + i % 5, hour=8 + i % 3),
             "channel": "call", "script": "fake_amazon_voucher", "impersonated_brand": "Amazon"}
        )  # fmt: skip
        rows.append(
            {"person": person, "number": NIGERIA_SMS, "occurred_at": at(2025, 1, 10 + i % 4, hour=14),
             "channel": "sms", "script": "trading_crypto"}
        )  # fmt: skip
    for person in people[:2]:
        rows.append(
            {"person": person, "number": ALBANIA, "occurred_at": at(2024, 12, 20, hour=19), "channel": "whatsapp",
             "impersonated_brand": "UniCredit"}
        )  # fmt: skip
    rows.append(
        {"person": people[2], "number": INDIA, "occurred_at": at(2025, 1, 3, hour=21), "channel": "telegram",
         "script": "fake_tech_support"}
    )  # fmt: skip
    add_reports(rows)
    return people


@pytest.fixture
def staff(make_person, with_totp, world):
    """HR of Acme and of Beta, a union representative covering Acme, an officer: all with two factors."""

    def make(name, **fields):
        person = make_person(f"{name}@example.org", **fields)
        with_totp(person)
        return person

    hr = make("hr")
    Membership.objects.create(person=hr, organisation=world.acme, role=Membership.Role.HR)
    beta_hr = make("beta-hr")
    Membership.objects.create(person=beta_hr, organisation=world.beta, role=Membership.Role.HR)
    union = make("union")
    mandate = UnionMandate.objects.create(representative=union, union=Union.objects.create(name="SLC", slug="slc"))
    mandate.organisations.add(world.acme)
    return {"hr": hr, "beta_hr": beta_hr, "union": union, "officer": make("officer", is_staff=True)}


def near(published, exact) -> bool:
    """A published figure is the exact one give or take the perturbation's bound (apps/insights/perturbation.py)."""
    from apps.insights.perturbation import noise_max

    return published is not None and abs(published - exact) <= noise_max()
