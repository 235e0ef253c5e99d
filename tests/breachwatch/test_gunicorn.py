"""One gunicorn configuration for production and the benchmarks: gunicorn.conf.py."""

import runpy
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_the_image_and_compose_leave_the_server_settings_to_gunicorn_conf():
    web = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"]["command"]
    cmd = next(line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("CMD"))

    for command in (web, cmd):
        server = command[command.index("gunicorn") :]  # gunicorn reads /app/gunicorn.conf.py by itself
        assert not any(option in server for option in ("-c ", "--config", "--workers", "--worker-class", "--threads"))
        assert "--timeout" not in server


def test_gunicorn_conf_runs_sync_workers_and_the_benchmark_uses_it():
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))

    assert (conf["worker_class"], conf["workers"], conf["timeout"]) == ("sync", 4, 60)
    assert '"-c", str(GUNICORN_CONF)' in (ROOT / "bench" / "report_api_load.py").read_text()
