"""Record keys of contributors, as the rollups' cell keys sum them (apps.insights.perturbation).

A living person's key is computed from their id with a secret (perturbation.record_key), so it needs no
storage and both the incremental path and the rebuild compute the same one. An erasure moves the person's
reports to a new anonymous contributor that must keep the person's key, or every cell they were in would get
a new noise (and two noises of one cell can be averaged): that key is the one thing stored here.
"""

from collections.abc import Iterable

from apps.insights.models import AnonymousRecordKey
from apps.insights.perturbation import KEY_SPACE, record_key


def record_keys(contributors: Iterable[int]) -> dict[int, int]:
    contributors = set(contributors)
    keys = {c: record_key(c) for c in contributors if c > 0}
    anonymous = [c for c in contributors if c <= 0]
    for start in range(0, len(anonymous), 2000):
        rows = AnonymousRecordKey.objects.filter(contributor__in=anonymous[start : start + 2000])
        keys.update(rows.values_list("contributor", "key"))
    for c in anonymous:
        keys.setdefault(c, record_key(c))  # erased before keys existed: a key of its own, fixed from now on
    return keys


def keep_key(*, old: int, new: int) -> None:
    """The anonymous contributor `new` takes over the record key of `old` (an erasure)."""
    key = record_keys([old])[old]
    AnonymousRecordKey.objects.update_or_create(contributor=new, defaults={"key": key})


def cell_key_of(contributors: Iterable[int]) -> int:
    """The cell key of a set of distinct contributors, for a figure not read from a rollup cell."""
    return sum(record_keys(contributors).values()) % KEY_SPACE
