"""gunicorn's settings for the web service. gunicorn reads this file from its working directory, /app in the
image (the Dockerfile's CMD and docker-compose.yml's web service); bench/report_api_load.py passes it with -c,
so the benchmark measures the server that runs in production. Where to bind and what to log stay on their
command lines.
"""

# Sync workers, each serving one request at a time: a request is Python holding the GIL plus short waits for
# PostgreSQL, so threads in one process would mostly take turns. Two per core keep the cores busy while some
# workers wait for a round trip or for a commit to reach the disk. On the 2-core host of bench/RESULTS.md
# (issue 5), with PostgreSQL on it too, 6 or 8 sync workers were no faster, and gthread workers with keep-alive
# were no faster either, left the cores partly idle and had a longer tail. On a larger host pass --workers
# (about two per core; each worker keeps a PostgreSQL connection open, so mind max_connections).
worker_class = "sync"
workers = 4
timeout = 60  # seconds a worker may spend on one request before gunicorn replaces it
