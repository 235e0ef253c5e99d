"""Whose figures a person's reports belong to: the one rule, used by the incremental path and the rebuild.

Only *proven* people count in a published figure, so that ten accounts made in a minute can neither lift a
hidden cell over the threshold nor add their own figures: a person's reports count for each breach whose
membership someone other than the person vouches for (a dataset match of a verified identifier, the
organisation's invitation, or a case officer who reviewed the declaration: Exposure.objects.proven()), for
each organisation where they are an active member (invited, or approved by its HR or an officer), for each
organisation × proven breach pair, and for everyone (the national scope) once they are proven in at least one
of these. The reports of anybody else stay in the officers' views only. Anonymous contributors (erased
accounts, negative ids) keep the scopes they had when the person was erased.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Q

from apps.accounts.models import Membership
from apps.breaches.models import Exposure
from apps.insights.models import ContributorScope, Scope

Kind = Scope.Kind
ScopeKey = tuple[str, int | None, int | None]  # (kind, breach_id, organisation_id)
NATIONAL: ScopeKey = (Kind.ALL.value, None, None)


def scope_keys_of_people(person_ids: Iterable[int]) -> dict[int, set[ScopeKey]]:
    """The scopes each living person's reports belong to now, the national one included (none: not proven)."""
    person_ids = [p for p in set(person_ids) if p > 0]
    breaches: dict[int, set[int]] = defaultdict(set)
    organisations: dict[int, set[int]] = defaultdict(set)
    for chunk in _chunks(person_ids, 2000):
        for person_id, breach_id in (
            Exposure.objects.proven().filter(person_id__in=chunk).values_list("person_id", "breach_id")
        ):
            breaches[person_id].add(breach_id)
        memberships = Membership.objects.active().filter(person_id__in=chunk)
        for person_id, organisation_id in memberships.values_list("person_id", "organisation_id"):
            organisations[person_id].add(organisation_id)
    keys = {
        person_id: {(Kind.BREACH.value, b, None) for b in breaches[person_id]}
        | {(Kind.ORGANISATION.value, None, o) for o in organisations[person_id]}
        | {(Kind.ORGANISATION_BREACH.value, b, o) for b in breaches[person_id] for o in organisations[person_id]}
        for person_id in person_ids
    }
    return {person_id: scopes | {NATIONAL} if scopes else scopes for person_id, scopes in keys.items()}


def scope_ids(keys: Iterable[ScopeKey]) -> dict[ScopeKey, int]:
    """The Scope id of each key, creating the scopes that do not exist yet."""
    wanted = set(keys)
    found = _existing(wanted)
    for key in sorted(wanted - set(found), key=str):
        kind, breach_id, organisation_id = key
        try:
            with transaction.atomic():  # a concurrent creator may win; then read theirs
                scope = Scope.objects.create(kind=kind, breach_id=breach_id, organisation_id=organisation_id)
        except IntegrityError:
            scope = Scope.objects.get(kind=kind, breach_id=breach_id, organisation_id=organisation_id)
        found[key] = scope.pk
    return found


def national_scope_id() -> int:
    return scope_ids([NATIONAL])[NATIONAL]


def desired_scope_ids(contributors: Iterable[int]) -> dict[int, set[int]]:
    """The scope ids each contributor's reports should count in now (empty: in no published figure).

    Anonymous contributors keep what they hold (`applied_scope_ids`): nothing can change them any more.
    """
    contributors = set(contributors)
    keys = scope_keys_of_people(contributors)
    ids = scope_ids(set().union(*keys.values()) if keys else set())
    desired = {c: {ids[key] for key in keys.get(c, ())} for c in contributors if c > 0}
    anonymous = [c for c in contributors if c <= 0]
    desired.update(applied_scope_ids(anonymous))
    return desired


def applied_scope_ids(contributors: Iterable[int]) -> dict[int, set[int]]:
    """The scope ids the rollups count each contributor's reports in now."""
    applied: dict[int, set[int]] = {c: set() for c in contributors}
    for chunk in _chunks(list(applied), 2000):
        for contributor, scope_id in ContributorScope.objects.filter(contributor__in=chunk).values_list(
            "contributor", "scope_id"
        ):
            applied[contributor].add(scope_id)
    return applied


def scope_for(*, breach=None, organisation=None) -> Scope | None:
    """The scope of a breach's people, an organisation's people, both, or (neither given) everyone; None when
    no report has been counted in it yet. Only the rollups create scopes (they hold the lock that orders it)."""
    if breach is not None and organisation is not None:
        key = (Kind.ORGANISATION_BREACH.value, breach.pk, organisation.pk)
    elif breach is not None:
        key = (Kind.BREACH.value, breach.pk, None)
    elif organisation is not None:
        key = (Kind.ORGANISATION.value, None, organisation.pk)
    else:
        key = NATIONAL
    kind, breach_id, organisation_id = key
    return Scope.objects.filter(kind=kind, breach_id=breach_id, organisation_id=organisation_id).first()


def _existing(keys: set[ScopeKey]) -> dict[ScopeKey, int]:
    if not keys:
        return {}
    found = {}
    breach_ids = {b for _, b, _ in keys if b is not None}
    organisation_ids = {o for _, _, o in keys if o is not None}
    rows = Scope.objects.filter(kind__in={k for k, _, _ in keys})
    if breach_ids or organisation_ids:
        rows = rows.filter(Q(kind=Kind.ALL) | Q(breach_id__in=breach_ids) | Q(organisation_id__in=organisation_ids))
    for pk, kind, breach_id, organisation_id in rows.values_list("pk", "kind", "breach_id", "organisation_id"):
        key = (kind, breach_id, organisation_id)
        if key in keys:
            found[key] = pk
    return found


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]
