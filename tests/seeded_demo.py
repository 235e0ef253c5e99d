"""Seeding the whole demo takes seconds (hundreds of accounts, tens of thousands of reports, the statistics),
so test modules about it seed it once and share it.

`seeded_demo(django_db_blocker)` runs seed_demo inside a transaction that stays open for the module and is
rolled back at its end; each test's own transaction is a savepoint inside it, so whatever a test changes (a
--reset, say) is undone after the test, and nothing leaks into other modules. Callbacks registered with
on_commit never run (the transaction never commits), so the tests see exactly what the steps wrote.
`until=30` runs only the steps up to that order (accounts and breaches, not the reports), for modules that
need no more.
"""

import io
from contextlib import contextmanager
from unittest import mock

from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from apps.core import demo
from apps.core.models import DemoScenario

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as tests/conftest.py, for the module


@contextmanager
def seeded_demo(django_db_blocker, *, until: int | None = None):
    steps = [step for step in demo.registered_steps() if until is None or step[0] <= until]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER), transaction.atomic():
        try:
            with mock.patch.object(demo, "registered_steps", return_value=steps):
                call_command("seed_demo", stdout=io.StringIO())
            yield DemoScenario.objects.get()
        finally:
            transaction.set_rollback(True)
