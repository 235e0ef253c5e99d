"""docker-compose.yml cannot run here (no Docker engine), so its shape is checked against the settings."""

import re
from pathlib import Path

import pytest
import yaml

from breachwatch import env

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def command_of(service: dict) -> str:
    command = service["command"]
    return command if isinstance(command, str) else " ".join(command)


def test_compose_runs_the_production_shape(compose):
    services = compose["services"]

    assert set(services) == {"caddy", "db", "redis", "web", "worker", "beat"}
    assert re.match(r"postgres:(1[5-9]|[2-9]\d)", services["db"]["image"]), "PostgreSQL 15+"
    assert services["redis"]["image"].startswith("redis:")
    assert "gunicorn breachwatch.wsgi:application" in command_of(services["web"])
    assert "migrate" in command_of(services["web"])
    assert "celery -A breachwatch worker" in command_of(services["worker"])
    assert "celery -A breachwatch beat" in command_of(services["beat"])


def test_every_service_has_a_health_check_and_the_app_waits_for_healthy_dependencies(compose):
    services = compose["services"]

    assert all("healthcheck" in service for service in services.values())
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
        }
        assert services[name]["env_file"] == ".env"
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])


def test_worker_listens_on_every_queue_the_tasks_are_routed_to(compose):
    from breachwatch.celery import app

    routed = {route["queue"] for route in app.conf.task_routes.values()} | {"default"}
    worker_queues = set(command_of(compose["services"]["worker"]).split("-Q")[1].split()[0].split(","))

    assert routed <= worker_queues


def example_names() -> set[str]:
    names = set()
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.match(r"#?\s*([A-Z][A-Z0-9_]+)=", line)
        if match:
            names.add(match.group(1))
    return names


def test_env_example_documents_exactly_what_settings_read():
    import breachwatch.settings  # noqa: F401  (records every variable it reads in env.READ)

    compose_only = {"POSTGRES_PASSWORD"}
    assert example_names() - compose_only == set(env.READ)


def test_compose_sets_only_variables_that_settings_read(compose):
    import breachwatch.settings  # noqa: F401

    for name in ("web", "worker", "beat"):
        assert set(compose["services"][name]["environment"]) <= set(env.READ)


def test_web_and_worker_share_the_upload_folder(compose):
    services = compose["services"]

    for name in ("web", "worker"):
        assert "imports:/app/var/imports" in services[name]["volumes"]


def test_only_caddy_is_published_and_it_serves_https_with_compression_in_front_of_gunicorn(compose):
    services = compose["services"]
    caddyfile = (ROOT / "Caddyfile").read_text()

    assert services["caddy"]["image"].startswith("caddy:")
    assert {"80:80", "443:443"} <= set(services["caddy"]["ports"])
    assert [name for name, service in services.items() if "ports" in service] == ["caddy"]  # gunicorn is not
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in services["caddy"]["volumes"]
    assert re.search(r"^\{\$SITE_URL\} \{$", caddyfile, re.M)  # the site's own address: automatic HTTPS
    assert re.search(r"^\s+encode zstd gzip$", caddyfile, re.M)
    assert re.search(r"^\s+reverse_proxy web:8000$", caddyfile, re.M)
    assert "gunicorn" in command_of(services["web"]) and "0.0.0.0:8000" in command_of(services["web"])
    assert services["web"]["environment"]["TRUSTED_PROXY_COUNT"] == "1"  # the one proxy is believed
