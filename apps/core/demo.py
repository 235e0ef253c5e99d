"""The synthetic demo scenario, modelled on the INPS Servizi case (2022 contest archive, stolen Nov 2024).

Each app contributes steps with @demo_step(order=...) in its own `demo.py`; seed_demo discovers them, runs
them in order inside one transaction with one seeded random generator, and records a DemoScenario row so the
scenario is never seeded twice. Everything a step creates is fictitious: names from a fixed list, e-mail
addresses under the reserved .invalid domain, phone numbers from ranges no operator assigns to people.
"""

import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from apps.core.models import DemoScenario

SCENARIO_NAME = "inps-servizi-synthetic"
DEMO_EMAIL_DOMAIN = "demo.breachwatch.invalid"  # RFC 2606: can never reach a real mailbox
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105  (public on purpose: listed in the README, demo only)


@dataclass
class DemoContext:
    """Shared by the steps of one seeding run: the random generator, the clock and what earlier steps made."""

    rng: random.Random
    now: datetime
    made: dict = field(default_factory=dict)  # e.g. made["officer"] = <User>, for later steps to use


_steps: list[tuple[int, str, Callable[[DemoContext], dict]]] = []
# Loggers whose per-item lines (one per eager Celery task, per import, per broker connection) would bury the
# few lines seeding prints: hundreds of "Task ... succeeded" for a demo of 40,000 reports.
_CHATTY_LOGGERS = ("celery", "kombu", "apps")


def demo_step(*, order: int, label=None):
    """Register a seeding step; it returns a small summary dict of what it created. `label` (lazily
    translated) names it in the progress lines; without one, the function's name does."""

    def register(func):
        name = f"{func.__module__}.{func.__qualname__}"
        func.demo_label = label or func.__name__.replace("_", " ")
        if all(existing != name for _, existing, _ in _steps):
            _steps.append((order, name, func))
        return func

    return register


def registered_steps() -> list[tuple[int, str, Callable]]:
    autodiscover_modules("demo")
    return sorted(_steps, key=lambda step: (step[0], step[1]))


@contextmanager
def _quiet_logging() -> Iterator[None]:
    """Warnings and errors still show; the INFO lines of tasks and imports run during seeding do not."""
    loggers = [logging.getLogger(name) for name in _CHATTY_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    kombu = logging.getLogger("kombu.connection")  # warns on every eager task that the broker has no host
    kombu_level, kombu.level = kombu.level, logging.ERROR
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
        kombu.setLevel(kombu_level)


def seed_demo(*, seed: int, reset: bool = False, progress: Callable[[str], None] | None = None) -> DemoScenario | None:
    """Seed the scenario; returns the new DemoScenario, or None when it was already seeded. `progress`, when
    given, receives one line per step ("Step 3/5: people and roles… done in 1.2 s")."""
    with _quiet_logging(), transaction.atomic():  # quiet also while on_commit tasks run, after the commit
        existing = DemoScenario.objects.select_for_update().filter(name=SCENARIO_NAME).first()
        if existing and not reset:
            return None
        if existing:
            existing.delete()
        context = DemoContext(rng=random.Random(seed), now=timezone.now())
        steps = registered_steps()
        summary = {}
        for number, (_order, name, step) in enumerate(steps, start=1):
            started = time.perf_counter()
            summary[name] = step(context)
            if progress:
                seconds = number_format(time.perf_counter() - started, 1)  # "4,2" in Italian
                progress(
                    _("Step %(number)d/%(total)d: %(step)s… done in %(seconds)s s")
                    % {"number": number, "total": len(steps), "step": step.demo_label, "seconds": seconds}
                )
        return DemoScenario.objects.create(name=SCENARIO_NAME, seed=seed, summary=summary)
