"""Settings for bench/report_api_load.py only: the project's settings plus a URLconf that adds the baseline
insert view. Nothing here is used by the site."""

from breachwatch.settings import *  # noqa: F403

ROOT_URLCONF = "bench.report_bench_urls"
# 4xx answers are expected under load (none should happen, but a log line per request would skew timings).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
}
