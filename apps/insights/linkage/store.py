"""Computing a breach's evidence and storing it, and telling once when a new surge onset appears."""

import time
from datetime import date
from functools import partial

from django.db import transaction
from django.utils import timezone

from apps.breaches.models import Breach
from apps.insights.linkage.compute import compute_evidence
from apps.insights.models import BreachEvidence, SurgeSignal
from apps.insights.signals import surge_detected


def breach_evidence_compute(*, breach: Breach) -> BreachEvidence:
    """Recompute the breach's evidence over its default period and store it in place of the previous one;
    send surge_detected (after the commit) when the onset found is new."""
    started = time.perf_counter()
    result = compute_evidence(breach)
    seconds = time.perf_counter() - started
    with transaction.atomic():
        evidence, _created = BreachEvidence.objects.update_or_create(
            breach=breach,
            defaults={
                "period_start": date.fromisoformat(result["period"]["start"]),
                "period_end": date.fromisoformat(result["period"]["end"]),
                "first_report": _day(result["inputs"]["first_report"]),
                "last_report": _day(result["inputs"]["last_report"]),
                "members": result["members"]["people"],
                "controls": result["controls"]["people"],
                "reports": result["inputs"]["reports"],
                "method_version": result["method_version"],
                "computed_at": timezone.now(),
                "seconds": seconds,
                "result": result,
            },
        )
        if result["onset"] is not None and _is_new_onset(breach, result["onset"]):
            transaction.on_commit(
                partial(surge_detected.send, sender=Breach, breach=breach, onset=result["onset"], evidence=evidence)
            )
    return evidence


def _is_new_onset(breach: Breach, onset: dict) -> bool:
    """Record the onset unless one already signalled is the same day or holds this day in its interval: a
    recompute with a few more days of data moves the estimate within its interval, and that is no new surge."""
    day = date.fromisoformat(onset["date"])
    Breach.objects.select_for_update().filter(pk=breach.pk).exists()  # concurrent recomputes signal once
    known = SurgeSignal.objects.filter(breach=breach)
    if known.filter(onset=day).exists() or known.filter(low__lte=day, high__gte=day).exists():
        return False
    SurgeSignal.objects.create(
        breach=breach, onset=day, low=date.fromisoformat(onset["low"]), high=date.fromisoformat(onset["high"])
    )
    return True


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
