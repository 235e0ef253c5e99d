"""The synthetic demo scenario, modelled on the INPS Servizi case (2022 contest archive, stolen Nov 2024).

Each app contributes steps with @demo_step(order=...) in its own `demo.py`; seed_demo discovers them, runs
them in order inside one transaction with one seeded random generator, and records a DemoScenario row so the
scenario is never seeded twice. Everything a step creates is fictitious: names from a fixed list, e-mail
addresses under the reserved .invalid domain, phone numbers from ranges no operator assigns to people.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

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


def demo_step(*, order: int):
    """Register a seeding step; it returns a small summary dict of what it created."""

    def register(func):
        name = f"{func.__module__}.{func.__qualname__}"
        if all(existing != name for _, existing, _ in _steps):
            _steps.append((order, name, func))
        return func

    return register


def registered_steps() -> list[tuple[int, str, Callable]]:
    autodiscover_modules("demo")
    return sorted(_steps, key=lambda step: (step[0], step[1]))


def seed_demo(*, seed: int, reset: bool = False) -> DemoScenario | None:
    """Seed the scenario; returns the new DemoScenario, or None when it was already seeded."""
    with transaction.atomic():
        existing = DemoScenario.objects.select_for_update().filter(name=SCENARIO_NAME).first()
        if existing and not reset:
            return None
        if existing:
            existing.delete()
        context = DemoContext(rng=random.Random(seed), now=timezone.now())
        summary = {name: step(context) for _, name, step in registered_steps()}
        return DemoScenario.objects.create(name=SCENARIO_NAME, seed=seed, summary=summary)
