"""Registered people are published from the counts and key sums the scopes keep (Scope.people, people_ckey):
the same values as counting the proven people and summing their record keys one by one, after the incremental
path and after a rebuild alike."""

import pytest

from apps.accounts.models import Membership
from apps.accounts.privacy import account_erase
from apps.breaches.models import Exposure
from apps.insights.rebuild import rollups_rebuild
from apps.insights.release import people_count
from apps.insights.scopes import scope_for
from apps.insights.selectors import registered_people
from tests.insights.conftest import assert_same_as_rebuild

pytestmark = pytest.mark.django_db

Established = Exposure.Established


def counted_one_by_one(*, breach=None, organisation=None) -> int | None:
    """The slow path: the proven people of the scope, each record key computed (apps/insights/scopes.py)."""
    members = set(Membership.objects.active().values_list("person_id", flat=True))
    if organisation is not None:
        members = set(Membership.objects.active().filter(organisation=organisation).values_list("person_id", flat=True))
    if breach is None:
        if organisation is not None:
            return people_count(members)
        return people_count(set(Exposure.objects.proven().values_list("person_id", flat=True)) | members)
    proven = set(Exposure.objects.proven().filter(breach=breach).values_list("person_id", flat=True))
    return people_count(proven & members if organisation is not None else proven)


def every_scope(world):
    return [
        {},
        {"breach": world.contest},
        {"breach": world.customers},
        {"organisation": world.acme},
        {"organisation": world.beta},
        {"breach": world.contest, "organisation": world.acme},
        {"breach": world.customers, "organisation": world.acme},
    ]


def assert_published_as_one_by_one(world):
    from django.core.cache import cache

    cache.clear()
    for scope in every_scope(world):
        assert registered_people(**scope)["total"] == counted_one_by_one(**scope), scope


def test_registered_people_equal_the_one_by_one_count_incrementally_and_after_a_rebuild(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the rollups absorb each change after its commit
        matched = [world.person(f"m{i:02d}", breaches=[world.contest], organisations=[world.acme]) for i in range(14)]
        invited = [world.person(f"i{i:02d}", organisations=[world.beta]) for i in range(12)]
        for person in invited:
            Exposure.objects.create(person=person, breach=world.customers, established=Established.INVITATION)
        for i in range(10):  # declared only: counted nowhere, not even for everyone
            Exposure.objects.create(
                person=world.person(f"d{i}"), breach=world.contest, established=Established.SELF_DECLARED
            )
    assert registered_people(breach=world.contest)["total"] is not None  # shown (14 people), so compared for real
    assert_published_as_one_by_one(world)

    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.filter(person__in=matched[:3]).delete()  # three leave Acme
        Membership.objects.create(person=invited[0], organisation=world.acme)  # one of Beta's joins Acme too
        Exposure.objects.create(person=invited[1], breach=world.contest, established=Established.DATASET_MATCH)
        Exposure.objects.filter(person=invited[2]).delete()  # still Beta's, no longer in its breach
        account_erase(person=matched[5])  # gone from every count; their reports would stay
    assert_published_as_one_by_one(world)

    assert_same_as_rebuild()  # the rebuild keeps the same counts and key sums
    assert_published_as_one_by_one(world)


def test_a_rebuild_repairs_scope_counts_that_drifted(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(12):
            world.person(f"m{i:02d}", breaches=[world.contest])
    scope_for(breach=world.contest).__class__.objects.update(people=0, people_ckey=0)

    rollups_rebuild()

    assert_published_as_one_by_one(world)
    assert scope_for(breach=world.contest).people == 12
