"""Settings of the test run: the project's own, on the embedded default's development footing.

DEBUG is off unless the environment turns it on (breachwatch/settings.py fails closed); `./bw test` exports
DEBUG=true, and this does the same for `python -m pytest` run directly, so the suite needs no environment.
pytest-django still runs each test with DEBUG off, as a server in production would. The tests that check
start-up in production run manage.py in a process of its own with the environment they choose.
"""

import os

os.environ.setdefault("DEBUG", "true")

from breachwatch.settings import *  # noqa: E402, F403
