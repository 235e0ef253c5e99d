"""The "am I affected?" matcher: links registered people to the breaches that hold their identifiers.

Only identifiers a person has verified may be passed here (DESIGN §2.2); the callers (accounts' phone and
e-mail verification, and the import that just finished) are responsible for that.
"""

from collections import defaultdict
from collections.abc import Iterable
from itertools import islice

from django.db import transaction

from apps.breaches.models import Breach, ExposedIdentifier, Exposure
from apps.breaches.selectors import breach_ids_holding
from apps.breaches.signals import exposures_created

BATCH = 1000  # identifiers per lookup query: keeps each IN list (and each query plan) small

Matched = Exposure.Established.DATASET_MATCH


@transaction.atomic
def exposures_match_person(*, person, phone_digests: list[bytes], email_digests: list[bytes]) -> list[Exposure]:
    """Create a dataset-match Exposure of `person` for every breach holding one of these verified digests.
    Idempotent; returns only the exposures created now."""
    breach_ids = set(breach_ids_holding(phone_digests=phone_digests, email_digests=email_digests))
    return _create_matches({person.pk: breach_ids})


@transaction.atomic
def exposures_match_breach(*, breach: Breach, verified_identifiers: Iterable[tuple[int, str, bytes]]) -> int:
    """After an import: create a dataset-match Exposure for every person whose verified identifier — given as
    (person id, kind, digest) — is in `breach`'s dataset. Idempotent; returns how many were created."""
    found: dict[int, set[int]] = defaultdict(set)
    identifiers = iter(verified_identifiers)
    while batch := list(islice(identifiers, BATCH)):
        owners = defaultdict(set)
        for person_id, kind, digest in batch:
            owners[(kind, bytes(digest))].add(person_id)
        held = ExposedIdentifier.objects.filter(breach=breach, digest__in=[key[1] for key in owners]).values_list(
            "kind", "digest"
        )
        for kind, digest in held:
            for person_id in owners.get((kind, bytes(digest)), ()):
                found[person_id].add(breach.pk)
    return len(_create_matches(found))


def _create_matches(breach_ids_by_person: dict[int, set[int]]) -> list[Exposure]:
    wanted = {(person_id, breach_id) for person_id, ids in breach_ids_by_person.items() for breach_id in ids}
    if not wanted:
        return []
    existing = set(
        Exposure.objects.filter(person_id__in=breach_ids_by_person, established=Matched).values_list(
            "person_id", "breach_id"
        )
    )
    new = wanted - existing
    if not new:
        return []
    # ignore_conflicts: a concurrent match of the same person must not make this one fail
    Exposure.objects.bulk_create(
        [Exposure(person_id=p, breach_id=b, established=Matched) for p, b in sorted(new)], ignore_conflicts=True
    )
    exposures_created.send(sender=Exposure, person_ids={p for p, _ in new})
    created = Exposure.objects.filter(
        person_id__in={p for p, _ in new}, breach_id__in={b for _, b in new}, established=Matched
    ).order_by("person_id", "breach_id")
    return [exposure for exposure in created if (exposure.person_id, exposure.breach_id) in new]


def exposure_declare(*, person, breach: Breach) -> Exposure:
    """Record that `person` says they are in `breach` (e.g. they received the controller's notification)."""
    exposure, created = Exposure.objects.get_or_create(
        person=person, breach=breach, established=Exposure.Established.SELF_DECLARED
    )
    if created:
        exposures_created.send(sender=Exposure, person_ids={person.pk})
    return exposure
