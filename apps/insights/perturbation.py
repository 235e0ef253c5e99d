"""Consistent perturbation of published counts: the cell-key method of statistics offices' table builders.

Every contributor (a person, or the anonymous contributor an erased person's reports moved to) has a fixed
secret *record key*, a number in [0, 2^32). A rollup cell stores, next to its counts, its *cell key*: the sum of
its distinct contributors' record keys modulo 2^32, kept by the incremental path and the rebuild alike. A
published count is the true count plus a noise that the *perturbation table* gives for that count and cell
key (Thompson, Broadfoot and Elazar, ABS 2013; the `ptable` method of Giessing 2016):

- the same cell (the same people, the same count) always gets the same noise, however often and through
  whichever page, export or API it is asked for, so repeating a query teaches nothing;
- two overlapping cells that differ by a few people have unrelated cell keys, so their difference is no
  longer exact (organisation minus organisation × breach, a line's total minus its visible cells, all time
  minus the months);
- the noise is drawn from the cell key *and* the count (mixed by a hash), not from the key alone as in the
  original method: two cells of the same people with different counts (all time and the one month everybody
  reported in; a person's own report added to a cell they are already in) would otherwise get the same noise,
  and their difference would be exact;
- the noise is at most NOISE_MAX in absolute value, has mean 0 and variance NOISE_VARIANCE (less near the
  threshold, where the table is truncated), zero stays zero, and no published count lies between 1 and K−1:
  a cell of fewer than K people is not published at all, and a published count is never below K.

Each row of the table is the maximum-entropy distribution of the noise under those constraints, computed
once per process (a few microseconds per published count afterwards).
"""

import hmac
import math
from bisect import bisect_right
from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

KEY_SPACE = 2**32  # record and cell keys are integers in [0, KEY_SPACE): sums of them add modulo KEY_SPACE
PEOPLE, CONTACTS = 1, 2  # the two counts of a cell draw their noises independently


@cache
def _parameters() -> tuple[int, int, float]:
    """(K, NOISE_MAX, NOISE_VARIANCE), read once: a page drawn anew releases thousands of cells, and reading
    them from Django's lazy settings for each cell cost more than the noise itself (bench/RESULTS.md)."""
    return settings.INSIGHTS_MIN_PEOPLE, settings.INSIGHTS_NOISE_MAX, settings.INSIGHTS_NOISE_VARIANCE


@receiver(setting_changed)
def _parameters_changed(setting, **kwargs):  # override_settings in tests
    if setting in ("INSIGHTS_MIN_PEOPLE", "INSIGHTS_NOISE_MAX", "INSIGHTS_NOISE_VARIANCE"):
        _parameters.cache_clear()


def min_people() -> int:
    return _parameters()[0]


def noise_max() -> int:
    return _parameters()[1]


def noise_variance() -> float:
    return _parameters()[2]


# --- Record keys ------------------------------------------------------------------------------------------------


@cache
def _record_key_secret(pepper: str) -> bytes:
    # Derived from the identifier pepper, which must stay fixed for the life of the data anyway (matching
    # depends on it): a new secret would redraw every noise, and two draws of a cell can be averaged.
    return hmac.digest(pepper.encode(), b"breachwatch insights record keys", "sha256")


def record_key(contributor: int) -> int:
    """The fixed secret record key of a living contributor (a person's id). Anonymous contributors (erased
    people, negative ids) keep the key the person had: see apps.insights.keys."""
    secret = _record_key_secret(settings.IDENTIFIER_PEPPER)
    digest = hmac.digest(secret, str(contributor).encode(), "sha256")
    return int.from_bytes(digest[:4], "big")


# --- The perturbation table ---------------------------------------------------------------------------------------


def _max_entropy(support: list[int], variance: float) -> list[float]:
    """The distribution over `support` (integers around 0) with mean 0 and the given variance that has the
    greatest entropy: p(d) ∝ exp(a·d + b·d²), (a, b) found by Newton's method on the convex dual."""
    if len(support) == 1 or variance <= 0:
        return [1.0 if d == 0 else 0.0 for d in support]
    a = b = 0.0
    for _ in range(200):
        exponents = [a * d + b * d * d for d in support]
        top = max(exponents)
        weights = [math.exp(e - top) for e in exponents]
        total = sum(weights)
        p = [w / total for w in weights]
        m1 = sum(pi * d for pi, d in zip(p, support, strict=True))
        m2 = sum(pi * d * d for pi, d in zip(p, support, strict=True))
        m3 = sum(pi * d**3 for pi, d in zip(p, support, strict=True))
        m4 = sum(pi * d**4 for pi, d in zip(p, support, strict=True))
        g1, g2 = m1, m2 - variance  # gradient of the dual: the moments' misfit
        if abs(g1) < 1e-12 and abs(g2) < 1e-12:
            break
        h11, h12, h22 = m2 - m1 * m1, m3 - m1 * m2, m4 - m2 * m2  # covariance of (d, d²)
        det = h11 * h22 - h12 * h12
        if det <= 1e-15:
            break
        da, db = (h22 * g1 - h12 * g2) / det, (h11 * g2 - h12 * g1) / det
        step = 1.0
        while step > 1e-6 and (abs(a - step * da) > 60 or abs(b - step * db) > 60):
            step /= 2
        a, b = a - step * da, b - step * db
    return p


@cache
def _row(count: int, k: int, d_max: int, variance: float) -> tuple[tuple[float, ...], tuple[int, ...]]:
    """The noise distribution of one true count: (cumulative probabilities, noise values)."""
    low = max(-d_max, k - count)  # never published below K
    support = list(range(low, d_max + 1))
    # Mean 0 on [low, d_max] allows a variance of at most |low|·d_max (all mass on the two ends); stay inside.
    reachable = -low * d_max
    p = _max_entropy(support, min(variance, 0.9 * reachable))
    cumulative, running = [], 0.0
    for pi in p:
        running += pi
        cumulative.append(running)
    cumulative[-1] = 1.0
    return tuple(cumulative), tuple(support)


def table(count: int) -> list[tuple[int, float]]:
    """The published table's row for a true count: (noise, probability) pairs. Counts of K + NOISE_MAX and
    more share one row; below K nothing is published."""
    k, d_max, variance = _parameters()
    if count < k:
        return [(0, 1.0)] if count == 0 else []
    cumulative, support = _row(min(count, k + d_max), k, d_max, variance)
    previous, rows = 0.0, []
    for noise, c in zip(support, cumulative, strict=True):
        rows.append((noise, c - previous))
        previous = c
    return rows


def zero_noise_chance() -> float:
    """How often a published count (away from the threshold) equals the exact one."""
    return dict(table(min_people() + noise_max())).get(0, 0.0)


_MASK64 = 2**64 - 1


def _uniform(cell_key: int, count: int, stream: int) -> float:
    """A number in [0, 1) drawn from the cell key, the count and the stream: splitmix64's finaliser, a
    bijection of 64-bit integers whose output bits all depend on every input bit."""
    z = (cell_key << 32 ^ count << 2 ^ stream) & _MASK64
    z = (z + 0x9E3779B97F4A7C15) & _MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    z ^= z >> 31
    return (z >> 11) / 2**53


def noise(count: int, cell_key: int, stream: int = PEOPLE) -> int:
    """The noise the table gives a true count (at least K) in a cell with this cell key."""
    k, d_max, variance = _parameters()
    cumulative, support = _row(min(count, k + d_max), k, d_max, variance)
    return support[min(bisect_right(cumulative, _uniform(cell_key, count, stream)), len(support) - 1)]


def publish_people(people: int | None, cell_key: int) -> int | None:
    """A count of people as published: 0 stays 0, fewer than K is None (not published), else perturbed."""
    if people is None:
        return None
    if people == 0:
        return 0
    if people < min_people():
        return None
    return people + noise(people, cell_key)


def publish_contacts(contacts: int | None, people: int | None, cell_key: int) -> int | None:
    """A count of contacts as published: shown only when its cell counts at least K people (`people`: the
    true count), perturbed with a noise of its own (never below K, since contacts ≥ people)."""
    if contacts is None or people is None:
        return None
    if contacts == 0:
        return 0
    if people < min_people():
        return None
    return contacts + noise(contacts, cell_key, CONTACTS)
