"""What the benchmarks share: the environment of the server they start, waiting for it, and writing their
section of bench/RESULTS.md. The scripts run as `python bench/<name>.py`, so this folder is on sys.path."""

import os
import re
import subprocess
import time
import urllib.request
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
ROOT = Path(__file__).resolve().parent.parent


def server_env(server_url: str, *, database: str, settings: str, **extra: str) -> dict:
    """The environment of a production-like server (DEBUG off, bench-only secrets) on `database` of the
    PostgreSQL server that `server_url` names."""
    return {
        **os.environ,
        "DATABASE_URL": re.sub(r"/[^/]*$", f"/{database}", server_url),
        "DJANGO_SETTINGS_MODULE": settings,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-not-used-anywhere-else-0123456789",
        "IDENTIFIER_PEPPER": "bench-only-pepper",
        "IDENTIFIER_ENCRYPTION_KEYS": "YmVuY2gtb25seS1rZXktMzItYnl0ZXMtbG9uZy0wMTI=",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Required with DEBUG off (breachwatch/settings.py); the benchmarks send no e-mail and show no contact page.
        "SITE_URL": "http://127.0.0.1",
        "SITE_OPERATOR_NAME": "BreachWatch benchmark",
        "SITE_OPERATOR_ADDRESS": "Nowhere (benchmark only)",
        "SITE_CONTACT_EMAIL": "bench@breachwatch.invalid",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def write_section(section: str, report: str) -> None:
    """Replace the section headed `section` (up to the next "## " heading) with `report`, or append it."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n\n"
    start = text.find(section)
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + report
    else:
        end = text.find("\n## ", start + len(section))
        text = text[:start] + report + (text[end + 1 :] if end != -1 else "")
    RESULTS.write_text(text, encoding="utf-8")
    print(f"Wrote bench/{RESULTS.name}")


def wait_until_serving(process: subprocess.Popen, port: int, *, seconds: float = 30) -> subprocess.Popen:
    """Return the server process once its breach list answers; kill it and stop if it never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/breaches/", timeout=1)  # noqa: S310
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


def record_second_factor(session, user) -> None:
    """Mark a signed-in `session` as having passed `user`'s TOTP, as allauth records a login with a code: staff
    pages require the second factor of the session itself, not only an authenticator on the account."""
    from allauth.account.internal.flows.login import record_authentication
    from django.http import HttpRequest

    request = HttpRequest()
    request.session = session
    record_authentication(request, user, "mfa", type="totp")
