"""Start-up configuration: each case runs Django in a fresh process with its own environment."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG_VARIABLES = (
    "IDENTIFIER_PEPPER",
    "IDENTIFIER_ENCRYPTION_KEYS",
    "SMS_BACKEND",
    "SMS_GATEWAY_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_SETTINGS_MODULE",  # pytest-django exports tests.settings, which turns DEBUG on
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CACHE_URL",
    "ALLOWED_HOSTS",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "SECURE_HSTS_SECONDS",
    "SITE_URL",
    "SITE_OPERATOR_NAME",
    "SITE_OPERATOR_ADDRESS",
    "SITE_CONTACT_EMAIL",
    "INSIGHTS_CACHE_SECONDS",
)


def run_django(*args: str, dev: bool = True, **env: str) -> subprocess.CompletedProcess:
    """manage.py in a fresh process; `dev`: with DEBUG=true, as ./bw runs it (unless `env` sets DEBUG)."""
    clean = {k: v for k, v in os.environ.items() if k not in CONFIG_VARIABLES}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **({"DEBUG": "true"} if dev else {}), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(**overrides) -> dict:
    return {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "breachwatch.example.org",
        "SITE_URL": "https://breachwatch.example.org",
        "SITE_OPERATOR_NAME": "Esempio S.r.l.",
        "SITE_OPERATOR_ADDRESS": "Via Roma 1, 00100 Roma",
        "SITE_CONTACT_EMAIL": "privacy@example.org",
        "EMAIL_HOST": "smtp.example.org",
        "IDENTIFIER_PEPPER": secrets.token_urlsafe(48),
        "IDENTIFIER_ENCRYPTION_KEYS": base64.b64encode(os.urandom(32)).decode(),
        "SMS_BACKEND": "http",
        "SMS_GATEWAY_URL": "https://sms.example.org/send",
        **overrides,
    }


def test_check_deploy_passes_with_production_like_environment():
    result = run_django("check", "--deploy", "--fail-level", "WARNING", **production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_refuses_a_production_site_that_would_write_mail_to_files():
    env = production_env()
    del env["EMAIL_HOST"]

    result = run_django("check", "--deploy", **env)

    assert result.returncode != 0
    assert "development-only email backend" in result.stderr


def test_refuses_to_start_with_debug_off_and_no_secret_key():
    env = production_env()
    del env["SECRET_KEY"]

    result = run_django("check", **env)

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


@pytest.mark.parametrize("name", ["SITE_URL", "SITE_OPERATOR_NAME", "SITE_OPERATOR_ADDRESS", "SITE_CONTACT_EMAIL"])
def test_refuses_to_start_in_production_without_the_site_address_or_the_controllers_identity(name):
    env = production_env()
    del env[name]

    result = run_django("check", **env)

    assert result.returncode != 0
    assert f"{name} must be set when DEBUG is off" in result.stderr


def test_refuses_a_site_url_that_is_not_a_web_address():
    result = run_django("check", **production_env(SITE_URL="breachwatch.example.org"))

    assert result.returncode != 0
    assert "SITE_URL must start with one of https://, http://" in result.stderr


def test_the_embedded_default_links_to_the_development_server():
    result = run_django("shell", "-c", "from django.conf import settings; print(settings.SITE_URL)")

    assert result.stdout.strip().splitlines()[-1] == "http://127.0.0.1:8000"


def test_with_no_environment_debug_is_off_and_start_up_asks_for_the_secret_key():
    result = run_django("check", dev=False)

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off (the default)" in result.stderr
    assert "./bw serve" in result.stderr  # the message says how to run the development site


def test_debug_is_off_unless_asked_for():
    env = production_env()
    del env["DEBUG"]
    code = "from django.conf import settings as s; print(s.DEBUG)"

    assert run_django("shell", "-v", "0", "-c", code, dev=False, **env).stdout.split() == ["False"]


@pytest.mark.parametrize(
    ("secret", "how"),
    [("SECRET_KEY", "unset"), ("IDENTIFIER_PEPPER", "unset"), ("IDENTIFIER_PEPPER", "blank"),
     ("IDENTIFIER_ENCRYPTION_KEYS", "unset")],
)  # fmt: skip
def test_a_missing_secret_in_production_refuses_start_up_naming_it(secret, how):
    env = production_env()
    if how == "unset":
        del env[secret]
    else:
        env[secret] = "  "

    result = run_django("check", dev=False, **env)

    assert result.returncode != 0
    assert f"{secret} must be set when DEBUG is off" in result.stderr


def test_bw_runs_the_embedded_default_in_development_mode():
    """./bw serve and ./bw test need no environment: bw turns DEBUG on unless the caller chose."""
    bw = (ROOT / "bw").read_text()
    shell = subprocess.run(
        ["bash", "-c", 'eval "$(grep -E \'^export DEBUG=\' bw)"; echo "$DEBUG"'],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
    )

    assert shell.stdout.strip() == "true", bw
    assert run_django("check", DEBUG=shell.stdout.strip()).returncode == 0


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be a boolean"),
        ("DATABASE_URL", "mysql//nonsense", "DATABASE_URL must start with one of"),
        ("DATABASE_URL", "postgres://user@host:notaport/db", "DATABASE_URL"),
        ("DATABASE_URL", "postgres://user@host:5432/", "DATABASE_URL must name a database"),
        ("CELERY_BROKER_URL", "http://redis:6379", "CELERY_BROKER_URL must start with one of"),
        ("EMAIL_PORT", "twenty-five", "EMAIL_PORT must be a whole number"),
        ("SECURE_HSTS_SECONDS", "-1", "SECURE_HSTS_SECONDS must be at least 0"),
    ],
)
def test_bad_configuration_stops_start_up_naming_the_variable(variable, value, message):
    env = {variable: value}
    if variable == "EMAIL_PORT":
        env["EMAIL_HOST"] = "smtp.example.org"

    result = run_django("check", **env)

    assert result.returncode != 0
    assert message in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_embedded_default_is_sqlite_with_eager_tasks():
    result = run_django(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)",
    )

    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"], result.stderr


def test_database_and_broker_urls_switch_to_postgresql_and_a_real_broker():
    result = run_django(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings as s; d = s.DATABASES['default'];"
        "print(d['ENGINE'], d['NAME'], d['HOST'], s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_TASK_ACKS_LATE,"
        " s.CELERY_TASK_REJECT_ON_WORKER_LOST, s.CELERY_WORKER_PREFETCH_MULTIPLIER)",
        DATABASE_URL="postgres://bw@127.0.0.1:5432/somedb",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )

    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "somedb",
        "127.0.0.1",
        "False",
        "True",
        "True",
        "1",
    ], result.stderr


def test_every_model_change_has_a_migration():
    result = run_django("makemigrations", "--check", "--dry-run")

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("env", "seconds"),
    [
        ({}, "600"),  # one process, eager tasks: its memory cache sees every change
        ({"CELERY_BROKER_URL": "redis://127.0.0.1:6379/0", "CACHE_URL": "redis://127.0.0.1:6379/1"}, "600"),
        # Real workers and a memory cache per process: a worker's rollups update could never reach the web
        # processes' cached figures, so they are not cached.
        ({"CELERY_BROKER_URL": "redis://127.0.0.1:6379/0"}, "0"),
        ({"CELERY_BROKER_URL": "redis://127.0.0.1:6379/0", "INSIGHTS_CACHE_SECONDS": "30"}, "30"),
    ],
)
def test_statistics_are_cached_only_where_every_process_hears_of_a_change(env, seconds):
    result = run_django(
        "shell", "-v", "0", "-c", "from django.conf import settings as s; print(s.INSIGHTS_CACHE_SECONDS)", **env
    )

    assert result.stdout.split() == [seconds], result.stderr
