"""Seeding tells its progress in one line per step, in the active language, and not in the log lines of the
hundreds of tasks and imports its steps set off (they buried the few lines that mattered)."""

import io
import logging
import re
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import translation

from apps.core import demo

pytestmark = pytest.mark.django_db


def chatty_step(context):
    logging.getLogger("celery.app.trace").info("Task reports.reweigh_reporter[1] succeeded in 0.01s: 0")
    logging.getLogger("apps.breaches.importing.pipeline").info("Imported 3000 rows in 0.2 s")
    logging.getLogger("kombu.connection").warning("No hostname was supplied. Reverting to default 'localhost'")
    logging.getLogger("apps.reports.tasks").warning("a real problem")
    return {"made": 1}


def quiet_step(context):
    return {}


chatty_step.demo_label = "people"
quiet_step.demo_label = "reports"
STEPS = [(10, "tests.chatty_step", chatty_step), (20, "tests.quiet_step", quiet_step)]


def seed(language):
    out = io.StringIO()
    with mock.patch.object(demo, "registered_steps", return_value=STEPS), translation.override(language):
        call_command("seed_demo", "--reset", stdout=out)
    return out.getvalue().splitlines()


def test_seeding_prints_one_line_per_step_and_none_of_the_tasks_log_lines(caplog):
    caplog.set_level(logging.INFO)

    lines = seed("en")

    assert re.fullmatch(r"Step 1/2: people… done in \d+\.\d s", lines[0]), lines
    assert re.fullmatch(r"Step 2/2: reports… done in \d+\.\d s", lines[1]), lines
    assert len(lines) == 3 and "Seeded" in lines[2]
    logged = [record.getMessage() for record in caplog.records]
    assert logged == ["a real problem"]  # warnings still show; per-task INFO and the broker's noise do not
    assert logging.getLogger("celery").level == logging.NOTSET  # the levels are given back afterwards


def test_the_progress_lines_speak_italian():
    lines = seed("it")

    assert re.fullmatch(r"Passo 1/2: people… completato in \d+,\d s", lines[0]), lines


def test_every_registered_step_has_a_translated_label():
    with translation.override("it"):
        labels = [str(step.demo_label) for _, _, step in demo.registered_steps()]

    assert "segnalazioni" in labels and "statistiche" in labels
    assert all("_" not in label for label in labels)
