"""Load benchmark of POST /api/v1/reports/ (issue 5), on PostgreSQL behind gunicorn, driven by wrk.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/report_api_load.py \\
        [--duration 20] [--connections 8] [--workers 4] [--record]

It creates a fresh database `bw_bench_reports` on that server, migrates it, creates reporters (three in
four with a verified phone, the rest with nothing, so both weights are in the mix) with API tokens and a
pool of caller numbers typed in several formats, starts gunicorn on 127.0.0.1 with the project's settings
(DEBUG off) plus one extra view, and runs wrk (Debian's `wrk`) for a fixed duration against:

- the baseline: a bare Django view inserting the same ContactReport row with no checks
  (bench/report_bench_urls.py), and
- the API: token authentication, validation, enrichment (cached), daily limits, the insert, and the
  number's counters recomputed after the commit, exactly as in production.

The server has the production shape of docker-compose.yml: PostgreSQL, and Redis as cache and Celery broker
(database 15 of BENCH_REDIS_URL, default redis://127.0.0.1:6379, emptied before and after), so each report
queues its rollup change in its transaction and the kick publishes a real task, at most one per 30 seconds.
No Celery worker runs during the measurement: the queued changes wait for one (in production the worker
applies them as they come); the script counts them.

Requests rotate over reporters and numbers so no daily limit is reached (a 429 would count as an error).
It prints reports/s, p50/p99 latency and errors for both, their ratio, checks that every 201 is a stored
row with its queued rollup change and that the counters equal a full rebuild after the concurrent run, and
with --record writes the figures into the issue-5 section of bench/RESULTS.md (between its markers).
--without-counters adds an informative third run with the counters' refresh taken out of the request
(patched in the bench URLconf only), to show what it costs.
"""

import argparse
import datetime
import os
import platform
import re
import runpy
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from common import server_env, wait_until_serving  # bench/, the script's own folder, is on sys.path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
BENCH_DB = "bw_bench_reports"
BENCH_REDIS_DB = 15  # CI's second pass uses databases 1 to 14
RECORD_BEGIN, RECORD_END = "<!-- report_api_load.py --record: begin -->", "<!-- report_api_load.py --record: end -->"
REPORTERS = 401  # coprime with NUMBERS: a (reporter, number) pair comes back only every 200,500 requests
NUMBERS = 500
# Scam numbers in the Nigerian +234 900 range (possible, assigned to no operator), typed as people do.
_FORMATS = ["+234 900 {a} {b}", "00234 900{a}{b}", "+234-900-{a}-{b}", "+234900{a}{b}"]


def number_pool() -> list[str]:
    return [_FORMATS[n % 4].format(a=f"{n // 10000:03d}", b=f"{n % 10000:04d}") for n in range(1, NUMBERS + 1)]


def bench_redis_url() -> str:
    return f"{os.environ.get('BENCH_REDIS_URL', 'redis://127.0.0.1:6379').rstrip('/')}/{BENCH_REDIS_DB}"


def bench_env(server_url: str) -> dict:
    return server_env(
        server_url,
        database=BENCH_DB,
        settings="bench.report_bench_settings",
        CELERY_BROKER_URL=bench_redis_url(),
        CACHE_URL=bench_redis_url(),
    )


def recreate_database(server_url: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def empty_redis() -> None:
    """The bench's own Redis database: no cached enrichment or queued task from an earlier run."""
    import redis

    redis.Redis.from_url(bench_redis_url()).flushdb()


def setup_django(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed() -> tuple[list[str], int, int]:
    """Reporters with tokens (and phones for 3 in 4); returns (tokens, baseline reporter id, baseline caller id)."""
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from apps.accounts.models import PersonalPhone, User
    from apps.phones.hashing import phone_digest
    from apps.reports.services import caller_number_get_or_create

    users = User.objects.bulk_create(
        [User(email=f"bench{n:04d}@bench.invalid", password="!") for n in range(REPORTERS + 1)]  # noqa: S106
    )
    baseline_reporter, users = users[-1], users[:-1]  # the baseline's rows must not count against API reporters
    now = timezone.now()
    PersonalPhone.objects.bulk_create(
        [
            PersonalPhone(person=u, digest=phone_digest(f"+39310{n:07d}"), number=f"+39310{n:07d}", verified_at=now)
            for n, u in enumerate(users)
            if n % 4
        ]
    )
    tokens = Token.objects.bulk_create([Token(user=u, key=Token.generate_key()) for u in users])
    baseline_caller = caller_number_get_or_create("+2349990000000")
    return [t.key for t in tokens], baseline_reporter.pk, baseline_caller.pk


def wrk_script(path: Path, tokens: list[str], numbers: list[str], occurred_at: str) -> None:
    """A wrk Lua script: request i goes to reporter i mod R about number i mod N (R and N coprime), so
    consecutive requests are about different numbers, a reporter never repeats a number within a run, and
    every reporter stays far below the daily limits."""
    lua_tokens = ",".join(f'"{t}"' for t in tokens)
    lua_numbers = ",".join(f'"{n}"' for n in numbers)
    path.write_text(
        f"""
local tokens = {{{lua_tokens}}}
local numbers = {{{lua_numbers}}}
local channels = {{"call", "sms", "whatsapp", "silent_call", "robocall"}}
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
function init(args)
  counter = 0
  nthreads = tonumber(args[1])
end
function request()
  counter = counter + 1
  local i = counter * nthreads + tid
  local user = (i % #tokens) + 1
  local number = (i % #numbers) + 1
  local body = string.format(
    '{{"caller_number":"%s","channel":"%s","occurred_at":"{occurred_at}","script":"fake_tech_support","caller_knew":["name"]}}',
    numbers[number], channels[(i % #channels) + 1])
  return wrk.format("POST", nil, {{["Authorization"] = "Token " .. tokens[user],
                                   ["Content-Type"] = "application/json"}}, body)
end
"""
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


GUNICORN_CONF = ROOT / "gunicorn.conf.py"  # the production server's settings (docker-compose.yml reads it too)


def start_gunicorn(env: dict, port: int, workers: int | None, threads: int) -> subprocess.Popen:
    """gunicorn as in production (gunicorn.conf.py), on 127.0.0.1; `workers` and `threads` override it.
    No access log: production writes one line per request to stdout, which costs the same for both views."""
    # gthread keeps connections alive between requests; sync workers close each one.
    worker = ["--worker-class", "gthread", "--threads", str(threads)] if threads > 1 else []
    count = ["--workers", str(workers)] if workers else []
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", str(GUNICORN_CONF), "breachwatch.wsgi:application",
         "--bind", f"127.0.0.1:{port}", *count, *worker, "--log-level", "warning", "--chdir", str(ROOT)],
        env=env,
    )  # fmt: skip
    return wait_until_serving(process, port, seconds=20)


def run_wrk(url: str, script: Path, *, duration: int, connections: int, threads: int = 2) -> dict:
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(script), url,
         "--", str(threads)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip

    def ms(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    total = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, socket_errors.groups())) if socket_errors else 0)
    return {
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": ms("50%"),
        "p99": ms("99%"),
        "requests": total,
        "errors": errors,
        "raw": out,
    }


def counters_equal_rebuild(*, exclude: int) -> tuple[int, bool]:
    """Whether the counters written under load equal a rebuild (the baseline's number, never refreshed, aside)."""
    from django.forms.models import model_to_dict

    from apps.reports.models import CallerNumber
    from apps.reports.services import caller_numbers_rebuild

    fields = ["first_seen", "last_seen", "reports_count", "reporters_count", "evidence", "spam_confidence", "is_public"]
    numbers = CallerNumber.objects.exclude(pk=exclude)
    before = {n.pk: model_to_dict(n, fields=fields) for n in numbers}
    caller_numbers_rebuild()
    after = {n.pk: model_to_dict(n, fields=fields) for n in numbers.all()}
    return len(before), before == after


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=20, help="seconds per measured run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py's)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (more than 1: gthread workers)")
    parser.add_argument("--record", action="store_true", help="write the figures into bench/RESULTS.md")
    parser.add_argument(
        "--without-counters", action="store_true", help="also measure the API with the counters' refresh taken out"
    )
    args = parser.parse_args()
    load_before = os.getloadavg()[0]  # other work on the machine slows both figures
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server (any database on it; the bench makes its own).")

    env = bench_env(server_url)
    recreate_database(server_url)
    empty_redis()
    subprocess.run([str(ROOT / ".venv/bin/python"), "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    setup_django(env)
    tokens, baseline_reporter, baseline_caller = seed()
    env.update(BENCH_BASELINE_REPORTER=str(baseline_reporter), BENCH_BASELINE_CALLER=str(baseline_caller))

    from django.utils import timezone

    from apps.insights.models import RollupChange
    from apps.reports.models import ContactReport

    occurred_at = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "reports.lua"
        wrk_script(script, tokens, number_pool(), occurred_at)
        port = free_port()
        server = start_gunicorn(env, port, args.workers, args.threads)
        try:
            base, api = f"http://127.0.0.1:{port}/bench/baseline-insert/", f"http://127.0.0.1:{port}/api/v1/reports/"
            run_wrk(base, script, duration=3, connections=args.connections)  # warm-up: connections, caches
            run_wrk(api, script, duration=3, connections=args.connections)
            baseline = run_wrk(base, script, duration=args.duration, connections=args.connections)
            last_before = ContactReport.objects.filter(via="api").order_by("-pk").values_list("pk", flat=True).first()
            reports = run_wrk(api, script, duration=args.duration, connections=args.connections)
        finally:
            server.terminate()
            server.wait(timeout=30)
        measured = ContactReport.objects.filter(via="api", pk__gt=last_before or 0)
        stored = measured.count()
        queued = RollupChange.objects.filter(report_id__in=measured.values("pk")).count()
        numbers, consistent = counters_equal_rebuild(exclude=baseline_caller)
        without = None
        if args.without_counters:
            server = start_gunicorn({**env, "BENCH_WITHOUT_COUNTERS": "1"}, port, args.workers, args.threads)
            try:
                run_wrk(api, script, duration=3, connections=args.connections)
                without = run_wrk(api, script, duration=args.duration, connections=args.connections)
            finally:
                server.terminate()
                server.wait(timeout=30)
    ratio = reports["rate"] / baseline["rate"]

    rows = [
        ("baseline: bare insert view", baseline),
        ("POST /api/v1/reports/ (token, validation, enrichment, limits, counters)", reports),
    ]
    if without:
        rows.append(("(informative) the same without the counters' refresh", without))
    print(f"\n{'':75} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for label, r in rows:
        print(f"{label:75} {r['rate']:8.0f} {r['p50']:8.2f} {r['p99']:8.2f} {r['errors']:7d}")
    print(f"ratio API / baseline: {ratio:.2f}")
    # wrk stops counting at the deadline, so a few answers still in flight are stored but not counted.
    print(f"201 answers counted by wrk / rows stored: {reports['requests'] - reports['errors']} / {stored}")
    print(f"rollup changes queued with them (no Celery worker ran, so none was applied yet): {queued}")
    print(f"counters of {numbers} numbers equal a full rebuild after the concurrent run: {consistent}")
    print("targets: ≥ 500 reports/s, p99 < 50 ms")
    print(f"load average before the run: {load_before:.1f} (other work on the machine slows both figures)")

    empty_redis()  # the tasks queued for a worker that never ran

    workers = args.workers or runpy.run_path(str(GUNICORN_CONF))["workers"]
    shape = f"{workers} gthread workers of {args.threads} threads" if args.threads > 1 else f"{workers} sync workers"
    if args.record:
        record(
            f"`bench/report_api_load.py --duration {args.duration} --connections {args.connections} "
            f"--workers {workers} --threads {args.threads}` on {datetime.date.today().isoformat()}: "
            f"{os.cpu_count()} CPUs ({platform.processor() or platform.machine()}), load average "
            f"{load_before:.1f} before it started, PostgreSQL, Redis (cache and Celery broker; no worker running), "
            f"gunicorn ({shape}, gunicorn.conf.py), wrk with {args.connections} connections and 2 threads on the same "
            "machine; "
            f"{REPORTERS} reporters (3 in 4 with a verified phone), {NUMBERS} caller numbers typed in 4 formats.\n\n"
            "| endpoint | reports/s | p50 | p99 | errors |\n|---|---|---|---|---|\n"
            + "".join(
                f"| {label} | {r['rate']:.0f} | {r['p50']:.1f} ms | {r['p99']:.1f} ms | {r['errors']} |\n"
                for label, r in rows
            )
            + f"\nRatio API / baseline: **{ratio:.2f}**. Targets: ≥ 500 reports/s and p99 < 50 ms. "
            f"Every 201 is a stored report with its queued rollup change ({stored} and {queued}); after the "
            f"concurrent run the counters of all {numbers} numbers equal a full rebuild: "
            f"{'yes' if consistent else 'NO'}.\n"
        )
        print(f"written to {RESULTS}")


def record(figures: str) -> None:
    """Put the figures between the markers of the issue-5 section, keeping the notes around them."""
    text = RESULTS.read_text(encoding="utf-8")
    before, found, rest = text.partition(RECORD_BEGIN)
    if not found or RECORD_END not in rest:
        raise SystemExit(f"{RESULTS} has no {RECORD_BEGIN} … {RECORD_END} block to write into")
    after = rest.partition(RECORD_END)[2]
    RESULTS.write_text(f"{before}{RECORD_BEGIN}\n{figures}{RECORD_END}{after}", encoding="utf-8")


if __name__ == "__main__":
    main()
