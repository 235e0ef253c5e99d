"""Figures computed from the rollups, kept in the cache until the rollups change.

Statistics pages are read far more often than the rollups change (at most once per update run, about once a
minute under load), and one answer for a big breach combines thousands of stored cells. So the selectors'
results, the charts and the rendered tables are cached under the current *generation* of the figures: a
random token replaced whenever something they are made of changes (figures_changed(): a rollups update that
applied changes, a rebuild, a breach edited, a number allowlisted). Entries of an older generation are never
read again and expire on their own (INSIGHTS_CACHE_SECONDS). The keys also hold the day in Rome (periods and
time axes end today) and the language (labels are translated).

A generation is a token, not a counter, so that a flushed or evicted generation key can never bring back an
older entry. With INSIGHTS_CACHE_SECONDS = 0 nothing is cached and every request reads the rollups.
"""

import hashlib
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation

GENERATION_KEY = "insights:generation"


def enabled() -> bool:
    return settings.INSIGHTS_CACHE_SECONDS > 0


# A process reads the generation from the shared cache at most this often (seconds): a dashboard asks for it
# half a dozen times, and the rollups it names are themselves applied about a second after a report.
GENERATION_READ_INTERVAL = 0.5
_seen = {"token": None, "at": float("-inf")}  # this process's last read: time.monotonic()


def generation() -> str:
    """The current generation of the figures (made on first use)."""
    now = time.monotonic()
    if now - _seen["at"] < GENERATION_READ_INTERVAL and _seen["token"] is not None:
        return _seen["token"]
    current = cache.get(GENERATION_KEY)
    if current is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        current = cache.get(GENERATION_KEY)
    _seen.update(token=current, at=now)
    return current


def figures_changed() -> None:
    """Start a new generation once the current transaction commits (at once outside one); this process sees
    it at once, the others within GENERATION_READ_INTERVAL."""
    transaction.on_commit(_new_generation)


def _new_generation() -> None:
    token = uuid.uuid4().hex
    cache.set(GENERATION_KEY, token, timeout=None)
    _seen.update(token=token, at=time.monotonic())


def forget_generation() -> None:
    """Read the generation from the shared cache next time (tests that replace it there)."""
    _seen.update(token=None, at=float("-inf"))


def key(name: str, *parts) -> str:
    """A cache key for `name` and `parts` (reprs of plain values) in this generation, day and language."""
    today = timezone.localdate().isoformat()
    raw = repr((generation(), today, translation.get_language(), parts))
    return f"insights:{name}:{hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()}"


class _Raised:
    """An exception a computation raised, kept so that the next request raises it again without computing."""

    def __init__(self, error: Exception):
        self.error = error


def remember[T](name: str, parts: tuple, compute: Callable[[], T], *, remember_errors=()) -> T:
    """compute(), or its result kept from an earlier call with the same name and parts in this generation.
    Exceptions of the types in `remember_errors` are kept and raised again the same way."""
    if not enabled():
        return compute()
    cache_key = key(name, *parts)
    found = cache.get(cache_key)
    if found is None:
        try:
            found = compute()
        except remember_errors as error:
            found = _Raised(error)
        cache.set(cache_key, found, timeout=settings.INSIGHTS_CACHE_SECONDS)
    if isinstance(found, _Raised):
        raise found.error
    return found
