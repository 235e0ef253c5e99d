"""What the benchmarks share: writing their section of bench/RESULTS.md, and waiting for the gunicorn they
start. The scripts run as `python bench/<name>.py`, so this folder is on sys.path."""

import subprocess
import time
import urllib.request
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


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
