"""Fixtures for insights: two organisations with their breaches, people in various scopes, and helpers that
report contacts through the real service and read the rollup tables back."""

import itertools
from datetime import UTC, date, datetime

import pytest

from apps.accounts.models import Membership
from apps.breaches.models import Breach, Exposure, Organisation
from apps.insights.models import ContactRollup, ContributorScope, FacetRollup, NumberRollup

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


def rollup_tables() -> dict[str, list[tuple]]:
    """Every rollup row and applied scope, as sorted plain tuples (ids left out)."""
    tables = {}
    for model in (ContactRollup, FacetRollup, NumberRollup, ContributorScope):
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        tables[model.__name__] = sorted(model.objects.values_list(*fields), key=repr)
    return tables
