"""The production shape as configured by .env.example and docker-compose.yml: the settings start from the
example's values (secrets filled in) in a fresh process, and Django's test client plays the health probe and
the clients."""

import base64
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def example_values() -> dict[str, str]:
    """The variables .env.example sets (not the commented ones), with its blank secrets filled in."""
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.match(r"^([A-Z][A-Z0-9_]+)=(.*)$", line)
        if match:
            values[match.group(1)] = match.group(2).strip()
    values.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        IDENTIFIER_PEPPER=secrets.token_urlsafe(48),
        IDENTIFIER_ENCRYPTION_KEYS=base64.b64encode(os.urandom(32)).decode(),
    )
    return values


def run_with_example_settings(tmp_path: Path, code: str, **overrides) -> dict:
    env = {
        "PATH": os.environ["PATH"],
        "LANG": "C.UTF-8",
        "HOME": str(tmp_path),
        **example_values(),
        "BREACHWATCH_VAR_DIR": str(tmp_path / "var"),  # the example's /app/var is the container's volume
        **overrides,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_the_compose_health_probe_is_answered_200_under_the_example_configuration(tmp_path):
    probe = " ".join(compose()["services"]["web"]["healthcheck"]["test"])
    url = urlsplit(re.search(r"https?://[^'\"\s]+", probe).group(0))
    code = f"""
import json
from django.conf import settings
from django.test import Client
probe = Client().get({url.path!r}, HTTP_HOST={url.netloc!r})
other = Client().get("/jsi18n/", HTTP_HOST={url.netloc!r})  # any other page (this one needs no tables)
named = Client().get("/jsi18n/", HTTP_HOST=settings.ALLOWED_HOSTS[0], secure=True)
print(json.dumps({{"debug": settings.DEBUG, "hosts": settings.ALLOWED_HOSTS, "probe": probe.status_code,
    "body": probe.json(), "other": other.status_code, "named": named.status_code}}))
"""

    answer = run_with_example_settings(tmp_path, code)

    assert answer["debug"] is False and url.hostname not in answer["hosts"]  # the example names the public host
    assert (answer["probe"], answer["body"]["ok"]) == (200, True)
    assert answer["other"] == 400  # every other path still refuses a Host that is not the site's
    assert answer["named"] == 200


def test_the_example_trusts_no_proxy_and_compose_trusts_its_caddy():
    web = compose()["services"]["web"]

    assert "ports" not in web  # clients reach gunicorn only through Caddy
    assert web["environment"]["TRUSTED_PROXY_COUNT"] == "1"
    assert example_values()["TRUSTED_PROXY_COUNT"] == "0"  # outside compose: no proxy unless declared


@pytest.mark.parametrize(("count", "secure"), [("0", False), ("1", True)])
def test_x_forwarded_proto_is_believed_only_behind_a_declared_proxy(tmp_path, count, secure):
    code = """
import json
from django.test import RequestFactory
request = RequestFactory().get("/", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({"secure": request.is_secure()}))
"""

    assert run_with_example_settings(tmp_path, code, TRUSTED_PROXY_COUNT=count) == {"secure": secure}


@pytest.mark.parametrize(("count", "seen"), [("0", "203.0.113.9"), ("1", "198.51.100.7")])
def test_the_address_axes_and_allauth_see_follows_trusted_proxy_count(tmp_path, count, seen):
    """0: a forged X-Forwarded-For is ignored. 1: the address the one proxy appended is used, never the
    forged ones the client put before it."""
    code = """
import json
from allauth.account.adapter import get_adapter
from axes.helpers import get_client_ip_address
from django.test import RequestFactory
request = RequestFactory().post(
    "/accounts/login/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.9.8.7, 192.0.2.1, 198.51.100.7"
)
print(json.dumps({"axes": get_client_ip_address(request), "allauth": get_adapter().get_client_ip(request)}))
"""

    answer = run_with_example_settings(tmp_path, code, TRUSTED_PROXY_COUNT=count)

    assert answer == {"axes": seen, "allauth": seen}
