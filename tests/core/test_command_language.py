"""Management commands write in --lang, or in the site's language when run from a terminal."""

import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db

REGISTER = [
    "register_breach", "--slug", "telco-2025", "--title-it", "Clienti Telco", "--organisation", "Telco S.p.A.",
    "--occurred", "2025-03-02", "--categories", "name,phone",
]  # fmt: skip


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_lang_chooses_the_language_of_the_output():
    italian = run(*REGISTER, "--lang", "it")
    assert "Creata l'organizzazione Telco S.p.A." in italian and "Registrata la violazione telco-2025" in italian
    english = run(*REGISTER[:2], "telco-2026", *REGISTER[3:], "--lang", "en")
    assert "Registered breach telco-2026" in english


def test_errors_are_in_the_chosen_language_too():
    with pytest.raises(CommandError, match="deve essere una data nel formato AAAA-MM-GG"):
        run(*REGISTER, "--occurred", "15/11/2024", "--lang", "it")
    with pytest.raises(CommandError, match="deve essere almeno 1"):
        run("rotate_identifier_keys", "--batch-size", "0", "--lang", "it")


def test_rebuild_insights_speaks_italian():
    out = run("rebuild_insights", "--lang", "it")
    assert "Ricalcolo degli aggregati statistici dalle segnalazioni…" in out and "Completato in" in out


def test_an_unknown_language_is_refused():
    with pytest.raises(CommandError, match="invalid choice"):
        run("rebuild_insights", "--lang", "de")


def test_from_a_terminal_the_output_is_in_the_site_language(tmp_path):
    """manage.py activates no language, so the output follows settings.LANGUAGE_CODE (Italian)."""
    result = subprocess.run(
        [sys.executable, "manage.py", "register_breach", "--slug", "x", "--organisation", "X", "--occurred",
         "15/11/2024", "--categories", "name"],
        capture_output=True, text=True, env={"DEBUG": "true", "PATH": "/usr/bin:/bin",
                                             "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
    )  # fmt: skip
    assert "deve essere una data nel formato AAAA-MM-GG" in result.stderr, result.stderr
