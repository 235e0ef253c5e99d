"""Settings for bench/insights_load.py only: the project's settings, quiet logging, and the collected static
files in a folder of the benchmark's own (the dashboard's pages need the manifest with DEBUG off)."""

import os
from pathlib import Path

from bench.report_bench_settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ.get("BENCH_STATIC_ROOT", STATIC_ROOT))  # noqa: F405
