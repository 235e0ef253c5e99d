"""Statistics at 10 million reports (issue 6), on PostgreSQL behind gunicorn, driven by wrk.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/insights_load.py \\
        [--reports 10000000] [--duration 20] [--connections 4] [--workers 3] [--reuse] [--record]

Needs numpy in the venv (bench only: `.venv/bin/pip install numpy`) and Debian's `wrk`. It creates a fresh
database `bw_bench_insights` on that server, migrates it, and writes with COPY (bench/synthetic_reports.py)
100 organisations, 100 breaches, 100,000 people with their exposures and memberships, 200,000 caller numbers
and 10,000,000 reports over two years; it sets the numbers' counters, VACUUM ANALYZEs, and then:

1. rebuilds the rollups from scratch (`manage.py rebuild_insights`, in its own process) and prints its time,
   peak memory and the row counts;
2. checks the figures: the stats of the biggest breach and of its organisation over the last 12 complete
   months, from the selectors in-process and from the served answers, equal plain SQL counts over the raw
   reports (total, and every country and channel cell that no month hid);
3. starts gunicorn (DEBUG off, bench/insights_bench_settings.py) on 127.0.0.1 and runs wrk for a fixed time
   and number of connections against (a) GET /api/v1/breaches/<slug>/stats/?from=…&to=… and (b) the
   organisation dashboard over the same months as its HR (a session cookie of a user with TOTP set up);
   p50/p95/p99 come from wrk's own latency histogram (a Lua `done()` hook), and any answer other than 200
   counts as an error;
4. times, in the same run, the equivalent GROUP BY over the raw reports (the breach's people's and the
   organisation's people's reports in those months by caller country and channel, COUNT(*) and
   COUNT(DISTINCT contributor); best of 3, warm cache), and prints baseline / p95.

--reuse skips steps up to the rebuild when the database already holds the dataset (for iterating on the
serving side). --record writes the section "Statistics at 10 million reports (issue 6)" of bench/RESULTS.md
(the other sections are kept).
"""

import argparse
import datetime as dt
import json
import os
import platform
import re
import resource
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from zoneinfo import ZoneInfo

# bench/, the script's own folder, is on sys.path
from common import record_second_factor, server_env, wait_until_serving, write_section

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Statistics at 10 million reports (issue 6)"
BENCH_DB = os.environ.get("BENCH_DB", "bw_bench_insights")  # a name of one's own on a shared server
# The served site keeps its cached figures in Redis, as in production (docker-compose.yml); this database of
# the local Redis is emptied before each server starts.
BENCH_CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/13")
# Each endpoint is measured as served (figures cached until the rollups change: apps/insights/cache.py) and
# with the cache off, where every request reads the rollups: the cost of the first request after a change.
MODES = {"cached": {}, "uncached": {"INSIGHTS_CACHE_SECONDS": "0"}}
TARGET_P95_MS = 50.0
STATIC_ROOT = Path(tempfile.gettempdir()) / "bw-bench-insights-static"


def bench_env(server_url: str) -> dict:
    return server_env(
        server_url,
        database=BENCH_DB,
        settings="bench.insights_bench_settings",
        BENCH_STATIC_ROOT=str(STATIC_ROOT),
        CACHE_URL=BENCH_CACHE_URL,
    )


def database_has_dataset(server_url: str) -> bool:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone():
            return False
    with psycopg.connect(re.sub(r"/[^/]*$", f"/{BENCH_DB}", server_url)) as conn:
        try:
            return conn.execute("SELECT EXISTS (SELECT 1 FROM reports_contactreport)").fetchone()[0]
        except psycopg.Error:
            return False


def generate(server_url: str, env: dict, args) -> dict:
    """Fresh database, migrated, filled; returns sizes and timings."""
    import psycopg
    from synthetic_reports import Population, load, set_number_counters

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    subprocess.run([str(ROOT / ".venv/bin/python"), "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    from django.contrib.auth.hashers import make_password
    from synthetic_reports import HR_PASSWORD

    started = time.monotonic()
    population = Population(
        people=args.people, numbers=args.numbers, breaches=args.breaches, organisations=args.organisations,
        today=dt.date.today(), seed=args.seed,
    )  # fmt: skip
    with psycopg.connect(env["DATABASE_URL"]) as conn:
        from apps.reports.brands import brand_slugs_by_key

        timings = load(conn, population, reports=args.reports, password_hash=make_password(HR_PASSWORD),
                       brand_slugs=brand_slugs_by_key())  # fmt: skip
        timings["numbers_counters"] = set_number_counters(conn)
        print(f"  numbers' counters: {timings['numbers_counters']:.1f} s", flush=True)
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        vacuum = time.monotonic()
        conn.execute("VACUUM (ANALYZE)")
        timings["vacuum_analyze"] = time.monotonic() - vacuum
    timings["total"] = time.monotonic() - started
    print(f"  VACUUM ANALYZE {timings['vacuum_analyze']:.1f} s; dataset in {timings['total']:.0f} s", flush=True)
    return timings


def setup_django(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def sizes() -> dict:
    from django.db import connection

    tables = {
        "organisations": "breaches_organisation", "breaches": "breaches_breach", "people": "accounts_user",
        "exposures": "breaches_exposure", "memberships": "accounts_membership", "numbers": "reports_callernumber",
        "reports": "reports_contactreport",
    }  # fmt: skip
    with connection.cursor() as cursor:
        found = {}
        for name, table in tables.items():
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
            found[name] = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM reports_contactreport WHERE hidden")
        found["hidden_reports"] = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM reports_callernumber WHERE is_public")
        found["public_numbers"] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_database_size(current_database()), pg_total_relation_size('reports_contactreport')")
        found["database_bytes"], found["reports_bytes"] = cursor.fetchone()
    return found


def rebuild(env: dict) -> dict:
    """`manage.py rebuild_insights` in its own process: its time, peak RSS and what it wrote."""
    started = time.monotonic()
    out = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "rebuild_insights"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    seconds = time.monotonic() - started
    figures = {name: int(value) for name, value in re.findall(r"^\s+(\w+Rollup): (\d+)$", out, re.M)}
    figures["seconds_wall"] = seconds
    figures["seconds"] = float(re.search(r"^\s+seconds: ([\d.]+)$", out, re.M).group(1))
    figures["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    from apps.insights.models import ContributorScope, Scope

    figures["Scope"], figures["ContributorScope"] = Scope.objects.count(), ContributorScope.objects.count()
    return figures


def last_year() -> tuple[dt.date, dt.date]:
    from apps.insights.periods import add_months, this_month

    month = this_month()
    return add_months(month, -12), add_months(month, -1)


def subjects():
    """The biggest breach (most exposed people), its organisation, and that organisation's HR."""
    from django.db.models import Count

    from apps.accounts.models import Membership
    from apps.breaches.models import Breach

    breach = Breach.objects.public().annotate(n=Count("exposures")).order_by("-n").first()
    organisation = breach.organisation
    hr = Membership.objects.hr().filter(organisation=organisation).select_related("person").first().person
    return breach, organisation, hr


def hr_session(person) -> str:
    """A logged-in session of the HR with a TOTP authenticator, as after a login with the second factor."""
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    Authenticator.objects.get_or_create(
        user=person, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "bench-not-a-real-secret"}}
    )
    session = SessionStore()
    session[SESSION_KEY] = str(person.pk)
    session[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
    session[HASH_SESSION_KEY] = person.get_session_auth_hash()
    record_second_factor(session, person)
    session.create()
    return session.session_key


# --- The raw reports: the baseline and the reference counts -------------------------------------------------

RAW_GROUP_BY = """
SELECT c.country, r.channel, COUNT(*), COUNT(DISTINCT r.contributor)
FROM reports_contactreport r JOIN reports_callernumber c ON c.id = r.caller_id
WHERE NOT r.hidden AND r.occurred_at >= %(start)s AND r.occurred_at < %(end)s
  AND r.contributor IN ({people})
GROUP BY c.country, r.channel
"""
PEOPLE = {  # whose reports a scope's figures count (apps/insights/scopes.py): proven people only
    "breach": "SELECT person_id FROM breaches_exposure WHERE breach_id = %(id)s AND established <> 'self_declared'",
    "organisation": "SELECT person_id FROM accounts_membership WHERE organisation_id = %(id)s AND status = 'active'",
}


def raw_group_by(kind: str, subject_id: int, start: dt.date, end: dt.date, *, repeat: int = 3) -> dict:
    """The GROUP BY over the raw reports (best of `repeat`, warm cache) and its rows."""
    from django.db import connection

    from apps.insights.periods import add_months

    zone = ZoneInfo("Europe/Rome")
    params = {
        "id": subject_id,
        "start": dt.datetime.combine(start, dt.time(), zone),
        "end": dt.datetime.combine(add_months(end, 1), dt.time(), zone),
    }
    sql = RAW_GROUP_BY.format(people=PEOPLE[kind])
    times, rows = [], []
    with connection.cursor() as cursor:
        for _ in range(repeat):
            began = time.perf_counter()
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            times.append(time.perf_counter() - began)
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return {"seconds": min(times), "all_seconds": times, "rows": rows, "plan": plan}


RAW_BY_PERSON = """
SELECT CAST(date_trunc('month', r.occurred_at AT TIME ZONE 'Europe/Rome') AS date), c.country, r.channel,
       r.contributor, COUNT(*)
FROM reports_contactreport r JOIN reports_callernumber c ON c.id = r.caller_id
WHERE NOT r.hidden AND r.occurred_at >= %(start)s AND r.occurred_at < %(end)s
  AND r.contributor IN ({people})
GROUP BY 1, 2, 3, 4
"""


def released_from_raw(kind: str, subject_id: int, start: dt.date, end: dt.date) -> dict:
    """What the release layer must publish, computed from the raw reports alone: each month's total, country and
    channel cells (reports, distinct people, and the sum of those people's record keys as the cell key), each
    released (apps/insights/release.py) and added up over the months as the selectors add them. Also the largest
    gap between a released monthly count and its exact value, which the perturbation bounds by NOISE_MAX."""
    from django.db import connection

    from apps.insights.keys import record_keys
    from apps.insights.periods import add_months
    from apps.insights.perturbation import KEY_SPACE
    from apps.insights.release import release
    from apps.insights.selectors import combine

    zone = ZoneInfo("Europe/Rome")
    params = {
        "id": subject_id,
        "start": dt.datetime.combine(start, dt.time(), zone),
        "end": dt.datetime.combine(add_months(end, 1), dt.time(), zone),
    }
    with connection.cursor() as cursor:
        cursor.execute(RAW_BY_PERSON.format(people=PEOPLE[kind]), params)
        rows = cursor.fetchall()
    keys = record_keys({row[3] for row in rows})
    cells = {line: {} for line in ("totals", "countries", "channels")}
    for month, country, channel, who, n in rows:
        for line, key in (("totals", "total"), ("countries", country), ("channels", channel)):
            cell = cells[line].setdefault((month, key), [0, set()])
            cell[0] += n
            cell[1].add(who)
    lines, gap, released_cells = {}, 0, 0
    for line, found in cells.items():
        atoms = [
            (month, key, n, len(people), sum(keys[p] for p in people) % KEY_SPACE)
            for (month, key), (n, people) in found.items()
        ]
        for _month, key, n, people, cell_key in atoms:
            cell = release(key, n, people, cell_key)
            if not cell.hidden:
                released_cells += 1
                gap = max(gap, abs(cell.contacts - n), abs(cell.people - people))
        lines[line] = {c.key: c for c in combine(atoms, all_time=False)}
    exact_total = sum(n for (_month, _key), (n, _people) in cells["totals"].items())
    return {"lines": lines, "exact_total": exact_total, "max_gap": gap, "monthly_cells": released_cells}


def compare(stats: dict, expected: dict) -> dict:
    """The served figures against release(exact) of the raw reports: the total, and every country and channel
    cell (shown, partial or hidden)."""
    lines = expected["lines"]
    total = lines["totals"]["total"].contacts if "total" in lines["totals"] else 0
    checked, wrong = 0, []
    for line in ("countries", "channels"):
        served = {cell["key"]: (cell["contacts"], cell["hidden"], cell["partial"]) for cell in stats[line]}
        want = {key: (c.contacts, c.hidden, c.partial) for key, c in lines[line].items()}
        for key in served.keys() | want.keys():
            checked += 1
            if served.get(key) != want.get(key):
                wrong.append((line, key, served.get(key), want.get(key)))
    return {
        "total_served": stats["totals"]["contacts"], "total_released": total, "total_exact": expected["exact_total"],
        "total_ok": stats["totals"]["contacts"] == total, "cells_checked": checked, "cells_wrong": wrong,
        "max_gap": expected["max_gap"], "monthly_cells": expected["monthly_cells"],
    }  # fmt: skip


def registered_check(breach, organisation) -> dict:
    """The registered people as served (read from the scopes' stored counts and key sums) against the slow path
    (one record key computed per proven person), for everyone, the breach and the organisation; and both timed."""
    from apps.accounts.models import Membership
    from apps.breaches.models import Exposure
    from apps.insights.release import people_count
    from apps.insights.selectors import _registered_people

    members = set(Membership.objects.active().values_list("person_id", flat=True))
    org_members = set(Membership.objects.active().filter(organisation=organisation).values_list("person_id", flat=True))
    proven = set(Exposure.objects.proven().values_list("person_id", flat=True))
    breach_proven = set(Exposure.objects.proven().filter(breach=breach).values_list("person_id", flat=True))
    found = {}
    for name, scope, people in (
        ("everyone", {}, proven | members),
        ("breach", {"breach": breach}, breach_proven),
        ("organisation", {"organisation": organisation}, org_members),
    ):
        began = time.perf_counter()
        slow = people_count(people)
        slow_ms = (time.perf_counter() - began) * 1000
        began = time.perf_counter()
        stored = _registered_people(breach=scope.get("breach"), organisation=scope.get("organisation"))["total"]
        stored_ms = (time.perf_counter() - began) * 1000
        found[name] = {"people": len(people), "slow": slow, "stored": stored, "equal": slow == stored,
                       "slow_ms": slow_ms, "stored_ms": stored_ms}  # fmt: skip
    return found


# --- Load ---------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict, port: int, workers: int) -> subprocess.Popen:
    """Sync workers, as docker-compose.yml runs them; ready once the breach list answers."""
    subprocess.run([str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "-v0"],
                   cwd=ROOT, env=env, check=True)  # fmt: skip
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "breachwatch.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning", "--chdir", str(ROOT)],
        env=env,
    )  # fmt: skip
    return wait_until_serving(process, port, seconds=30)


def wrk_script(path: Path, cookie: str | None) -> None:
    """Counts any answer but 200 as an error, and prints wrk's own latency percentiles (p95 included)."""
    header = f'wrk.headers["Cookie"] = "sessionid={cookie}"\n' if cookie else ""
    path.write_text(
        header
        + """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) not200 = 0 end
function response(status, headers, body) if status ~= 200 then not200 = not200 + 1 end end
function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("not200") end
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d socket_errors=%d not200=%d " ..
    "p50=%d p75=%d p90=%d p95=%d p99=%d max=%d mean=%.1f\\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, bad,
    latency:percentile(50), latency:percentile(75), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean))
end
"""
    )


def workers_cpu_seconds(master: int) -> float:
    """CPU time (user + system) the gunicorn master's workers have used so far: divided by the requests served,
    what one answer costs the web process whatever the load of the machine (PostgreSQL's share not included)."""
    with open(f"/proc/{master}/task/{master}/children") as children:
        pids = children.read().split()
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
    return total / os.sysconf("SC_CLK_TCK")


def run_wrk(url: str, script: Path, *, duration: int, connections: int, threads: int = 2) -> dict:
    out = subprocess.run(
        ["wrk", f"-t{min(threads, connections)}", f"-c{connections}", f"-d{duration}s", "--timeout", "5s", "-s",
         str(script), url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    line = re.search(r"^BENCH (.*)$", out, re.M).group(1)
    values = {k: float(v) for k, v in (item.split("=") for item in line.split())}
    ms = {f"p{p}": values[f"p{p}"] / 1000 for p in (50, 75, 90, 95, 99)}
    return {
        **ms,
        "max": values["max"] / 1000,
        "mean": values["mean"] / 1000,
        "requests": int(values["requests"]),
        "rate": values["requests"] / (values["duration_us"] / 1e6),
        "errors": int(values["socket_errors"] + values["not200"]),
        "raw": out,
    }


def fetch(url: str, cookie: str | None = None) -> tuple[int, bytes]:
    headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (our own server on 127.0.0.1)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


# --- Where the time goes, in-process ------------------------------------------------------------------------


def in_process(breach, organisation, hr, months: str, *, repeat: int = 15) -> dict:
    """One request at a time through Django's test client (the server's settings, no network): the median time
    of each view and of its parts."""
    from django.test import Client

    from apps.insights import views

    parts: dict[str, list[float]] = {}

    def timed(name, function):
        def wrapper(*args, **kwargs):
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                parts.setdefault(name, []).append(time.perf_counter() - began)

        return wrapper

    originals = {name: getattr(views, name) for name in ("statistics", "figures_for", "render", "_breach_choices",
                                                         "_participation")}  # fmt: skip
    import apps.insights.api as api

    api_statistics = api.statistics
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(hr, backend="allauth.account.auth_backends.AuthenticationBackend")
    session = client.session  # a copy: saved back
    record_second_factor(session, hr)
    session.save()
    urls = {
        "api": f"/api/v1/breaches/{breach.slug}/stats/?{months}",
        "dashboard": f"/dashboards/{organisation.slug}/?period=custom&{months}",
    }
    found = {}
    try:
        for name, function in originals.items():
            setattr(views, name, timed(name, function))
        api.statistics = timed("statistics", api_statistics)
        for endpoint, url in urls.items():
            client.get(url)
            parts.clear()
            totals = []
            for _ in range(repeat):
                began = time.perf_counter()
                assert client.get(url).status_code == 200
                totals.append(time.perf_counter() - began)
            found[endpoint] = {"view": _median(totals), **{k: _median(v) for k, v in parts.items()}}
    finally:
        for name, function in originals.items():
            setattr(views, name, function)
        api.statistics = api_statistics
    return found


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2] * 1000


# --- Main ---------------------------------------------------------------------------------------------------

SAVED = ROOT / "bench" / "out" / "insights_dataset.json"  # the generation and rebuild figures, for --reuse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=10_000_000)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--numbers", type=int, default=200_000)
    parser.add_argument("--breaches", type=int, default=100)
    parser.add_argument("--organisations", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--duration", type=int, default=20, help="seconds per measured run")
    parser.add_argument("--connections", default="1,4", help="wrk connections, one run per value (comma-separated)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--reuse", action="store_true", help="keep the dataset and rollups already in the database")
    parser.add_argument("--record", action="store_true", help="write the figures to bench/RESULTS.md")
    args = parser.parse_args()
    connections = [int(c) for c in args.connections.split(",")]
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server (any database on it; the bench makes its own).")

    env = bench_env(server_url)
    load_average = os.getloadavg()[0]
    reuse = args.reuse and database_has_dataset(server_url) and SAVED.exists()
    setup_django(env)
    if reuse:
        saved = json.loads(SAVED.read_text())
        print(f"Reusing the dataset generated on {saved['date']}.", flush=True)
    else:
        print(f"Generating the dataset ({args.reports:,} reports)…", flush=True)
        saved = {"date": dt.date.today().isoformat(), "generation": generate(server_url, env, args)}
        saved["dataset"] = sizes()
        print(f"  {json.dumps(saved['dataset'])}", flush=True)
        print("Rebuilding the rollups (manage.py rebuild_insights)…", flush=True)
        saved["rebuild"] = rebuild(env)
        print(f"  {json.dumps(saved['rebuild'])}", flush=True)
        SAVED.parent.mkdir(exist_ok=True)
        SAVED.write_text(json.dumps(saved, indent=1))
    vacuum = vacuum_rollups()
    print(f"VACUUM (ANALYZE) of the rollup tables, as autovacuum does after the swap: {vacuum:.0f} s", flush=True)

    from apps.insights.periods import Period
    from apps.insights.perturbation import noise_max
    from apps.insights.selectors import statistics

    breach, organisation, hr = subjects()
    start, end = last_year()
    period = Period(start, end)
    months = f"from={start:%Y-%m}&to={end:%Y-%m}"
    cookie = hr_session(hr)
    print(
        f"Subjects: {breach.slug} ({breach.exposures.proven().count():,} proven people), {organisation.slug}, "
        f"months {months}"
    )

    checks = {}
    with tempfile.TemporaryDirectory() as tmp:
        api_script, dash_script = Path(tmp) / "api.lua", Path(tmp) / "dashboard.lua"
        wrk_script(api_script, None)
        wrk_script(dash_script, cookie)
        runs, served_bodies = [], {}
        for mode, overrides in MODES.items():
            flush_cache()
            port = free_port()
            server = start_gunicorn({**env, **overrides}, port, args.workers)
            try:
                base = f"http://127.0.0.1:{port}"
                api_url = f"{base}/api/v1/breaches/{breach.slug}/stats/?{months}"
                dash_url = f"{base}/dashboards/{organisation.slug}/?period=custom&{months}"
                status, api_body = fetch(api_url)
                checks[f"api_status_{mode}"] = checks["api_status"] = status
                served_bodies[mode] = api_body
                status, dash_body = fetch(dash_url, cookie)
                checks[f"dashboard_status_{mode}"] = checks["dashboard_status"] = status
                run_wrk(api_url, api_script, duration=3, connections=max(connections))  # warm-up
                run_wrk(dash_url, dash_script, duration=3, connections=max(connections))
                for n in connections:
                    print(f"wrk ({mode}): {args.duration} s, {n} connections, {args.workers} workers…", flush=True)
                    for endpoint, url, script in (("api", api_url, api_script), ("dashboard", dash_url, dash_script)):
                        before = workers_cpu_seconds(server.pid)
                        run = run_wrk(url, script, duration=args.duration, connections=n)
                        run["cpu_ms"] = (workers_cpu_seconds(server.pid) - before) * 1000 / max(run["requests"], 1)
                        runs.append((mode, endpoint, n, run))
                    print(f"  {[(m, e, c, round(r['p95'], 1)) for m, e, c, r in runs[-2:]]}", flush=True)
            finally:
                server.terminate()
                server.wait(timeout=30)

    from django.test import override_settings

    uncached = override_settings(INSIGHTS_CACHE_SECONDS=0)  # the checks and the in-process parts compute anew
    uncached.enable()
    print("Baseline: GROUP BY over the raw reports (best of 3)…", flush=True)
    raw_breach = raw_group_by("breach", breach.pk, start, end)
    raw_org = raw_group_by("organisation", organisation.pk, start, end)
    print(f"  breach {raw_breach['all_seconds']}, organisation {raw_org['all_seconds']}", flush=True)
    print("Checks: the figures against release(exact) of the raw reports…", flush=True)
    expected_breach = released_from_raw("breach", breach.pk, start, end)
    expected_org = released_from_raw("organisation", organisation.pk, start, end)
    checks["breach_selectors"] = compare(statistics(breach=breach, period=period), expected_breach)
    checks["organisation_selectors"] = compare(statistics(organisation=organisation, period=period), expected_org)
    checks["api_served"] = compare(json.loads(api_body), expected_breach) if checks["api_status"] == 200 else None
    answers = {json.dumps(json.loads(body), sort_keys=True) for body in served_bodies.values()}
    checks["api_served_modes_equal"] = len(answers) == 1
    shown = re.search(rb'<span class="stat-value" data-count="(\d+)"', dash_body)
    checks["dashboard_total"] = int(shown.group(1)) if shown else None
    checks["dashboard_total_ok"] = checks["dashboard_total"] == checks["organisation_selectors"]["total_released"]
    checks["registered"] = registered_check(breach, organisation)
    print(f"  checks: {json.dumps(checks, default=str)}", flush=True)
    print("In-process, one request at a time…", flush=True)
    parts = in_process(breach, organisation, hr, months)
    print(f"  {json.dumps(parts)}", flush=True)

    figures = {
        "args": vars(args), "connections": connections, "load_average": load_average, **saved,
        "vacuum": vacuum, "breach": breach.slug, "breach_people": breach.exposures.proven().count(),
        "organisation": organisation.slug, "organisation_people": organisation.memberships.active().count(),
        "months": (start, end), "raw_breach": raw_breach, "raw_org": raw_org, "checks": checks, "runs": runs,
        "parts": parts, "load_after": os.getloadavg()[0],
    }  # fmt: skip
    report = render(figures)
    print(report)
    if args.record:
        write_section(SECTION, report)
    served = checks["api_served"] or {}
    ok = all(
        [checks["breach_selectors"]["total_ok"], not checks["breach_selectors"]["cells_wrong"],
         checks["organisation_selectors"]["total_ok"], not checks["organisation_selectors"]["cells_wrong"],
         checks["api_status"] == 200, served.get("total_ok"), not served.get("cells_wrong"),
         checks["api_served_modes_equal"],
         checks["dashboard_status"] == 200, checks["dashboard_total_ok"],
         all(r["equal"] for r in checks["registered"].values()),
         checks["breach_selectors"]["max_gap"] <= noise_max(),
         checks["organisation_selectors"]["max_gap"] <= noise_max(),
         all(r["errors"] == 0 for _, _, _, r in runs), all(v == 200 for k, v in checks.items() if "_status_" in k)]
    )  # fmt: skip
    if not ok:
        raise SystemExit("Some check failed: see above.")


def flush_cache() -> None:
    import redis

    redis.Redis.from_url(BENCH_CACHE_URL).flushdb()


def vacuum_rollups() -> float:
    import psycopg
    from django.db import connection

    began = time.monotonic()
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) insights_contactrollup, insights_facetrollup, insights_numberrollup")
    connection.close()
    return time.monotonic() - began


def render(f: dict) -> str:
    from django.db import connection

    from apps.insights.perturbation import noise_max

    with open("/proc/cpuinfo") as cpuinfo:
        cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0].split()[0]
    d, g, r, c, a, p = f["dataset"], f["generation"], f["rebuild"], f["checks"], f["args"], f["parts"]
    start, end = f["months"]
    raw = {"api": f["raw_breach"], "dashboard": f["raw_org"]}
    label = {
        "api": f"`GET /api/v1/breaches/{f['breach']}/stats/` ({f['breach_people']:,} people)",
        "dashboard": f"dashboard of `{f['organisation']}` as its HR ({f['organisation_people']:,} people)",
    }
    rows = [
        f"| {label[endpoint]} | {mode} | {n} | {run['p50']:.1f} ms | **{run['p95']:.1f} ms** | {run['p99']:.1f} ms "
        f"| {run['rate']:.0f} | {run['errors']} | {run.get('cpu_ms', 0):.1f} ms "
        f"| {raw[endpoint]['seconds'] * 1000:,.0f} ms | "
        f"{raw[endpoint]['seconds'] * 1000 / run['p95']:,.0f}× |"
        for mode, endpoint, n, run in sorted(f["runs"], key=lambda r: (r[0], r[1], r[2]))
    ]
    checked = c["breach_selectors"]["cells_checked"] + c["organisation_selectors"]["cells_checked"]
    checked += c["api_served"]["cells_checked"]
    wrong = len(c["breach_selectors"]["cells_wrong"]) + len(c["organisation_selectors"]["cells_wrong"])
    wrong += len(c["api_served"]["cells_wrong"])
    totals_ok = all([c["breach_selectors"]["total_ok"], c["api_served"]["total_ok"],
                     c["organisation_selectors"]["total_ok"], c["dashboard_total_ok"]])  # fmt: skip
    gap = max(c["breach_selectors"]["max_gap"], c["organisation_selectors"]["max_gap"])
    monthly = c["breach_selectors"]["monthly_cells"] + c["organisation_selectors"]["monthly_cells"]
    reg = c["registered"]
    registered = "; ".join(
        f"{name} ({r['people']:,} people): {r['stored']} {'=' if r['equal'] else '≠'} {r['slow']}, "
        f"{r['stored_ms']:.1f} ms instead of {r['slow_ms']:.0f} ms"
        for name, r in reg.items()
    )
    api_p, dash_p = p["api"], p["dashboard"]
    return "\n".join([
        SECTION,
        "",
        f"Run {dt.date.today().isoformat()} by `bench/insights_load.py --duration {a['duration']} --connections "
        f"{a['connections']} --workers {a['workers']}` on {os.cpu_count()} cores (`nproc`; {cpu}), 24 GiB RAM, "
        f"Python {platform.python_version()}, PostgreSQL {pg} in its default configuration (shared_buffers "
        f"128 MB, work_mem 4 MB); load average {f['load_average']:.1f} at the start and {f['load_after']:.1f} at the "
        f"end (other work shares this machine). gunicorn ({a['workers']} sync workers, DEBUG off), wrk (2 threads, "
        f"{a['duration']} s per run after a 3 s warm-up) and PostgreSQL on the same 2 cores.",
        "",
        f"**Dataset** (generated {f['date']} with COPY by bench/synthetic_reports.py): {d['reports']:,} reports "
        f"({d['hidden_reports']:,} hidden) over the 24 months before {f['date'][:7]}, {d['people']:,} people, "
        f"{d['exposures']:,} exposures (70% dataset matches and 20% invitations, 10% only declared, whose reports "
        f"count in no breach's figures), {d['memberships']:,} memberships, {d['organisations']} organisations, "
        f"{d['breaches']} breaches, {d['numbers']:,} caller numbers ({d['public_numbers']:,} public). Generated in "
        f"**{g['total']:.0f} s**: the small tables {g['people_and_numbers']:.0f} s, the reports' COPY "
        f"{g['reports_copy']:.0f} s, their indexes and keys {g['reports_indexes']:.0f} s, the numbers' counters "
        f"{g['numbers_counters']:.0f} s, VACUUM ANALYZE {g['vacuum_analyze']:.0f} s.",
        "",
        f"**Full rebuild of the rollups** (`manage.py rebuild_insights`, its own process): **{r['seconds']:.0f} s "
        f"({r['seconds'] / 60:.1f} min)**, peak RSS {r['peak_rss_mib']:.0f} MiB; it wrote {r['Scope']:,} scopes, "
        f"{r['ContributorScope']:,} contributor scopes and {r['ContactRollup']:,} contact, {r['FacetRollup']:,} "
        f"facet and {r['NumberRollup']:,} number rollup rows "
        f"({r['ContactRollup'] + r['FacetRollup'] + r['NumberRollup']:,} in all). VACUUM (ANALYZE) of the three "
        f"tables afterwards, what autovacuum does after the swap: {f['vacuum']:.0f} s.",
        "",
        f"**Reads**, months {start:%Y-%m} to {end:%Y-%m} (the last 12 complete months), biggest breach and its "
        "organisation; the baseline is the equivalent GROUP BY over the raw reports (those people's visible "
        "reports in those months by caller country and channel, COUNT(*) and COUNT(DISTINCT contributor); best "
        "of 3, warm cache), timed in the same run:",
        "",
        "| endpoint | figures | connections | p50 | p95 | p99 | req/s | errors | web CPU per request | raw GROUP BY "
        "| GROUP BY / p95 |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        "*cached*: as served, figures kept in Redis until the rollups change (apps/insights/cache.py), so after a "
        "3 s warm-up every request but the first of each gunicorn worker finds them; the dashboard still checks "
        "the session, the second factor and the role, and writes its audit row, on every request. *uncached*: "
        "INSIGHTS_CACHE_SECONDS=0, every request reads the rollups and draws the charts, which is what the first "
        "request after each rollups update (at most about once a minute under load) costs. *web CPU per "
        "request*: the CPU time (user and system) the gunicorn workers used during the run divided by the answers "
        "they gave, what an answer costs the web process whatever else the machine runs (PostgreSQL's share not "
        "included); a latency far above it is time spent waiting for one of the two cores.",
        "",
        f"Target: p95 under {TARGET_P95_MS:.0f} ms. Errors count every answer other than 200 and every socket "
        "error. Checks, against the raw reports alone: each month's total, country and channel cells counted "
        "from them (reports, distinct proven people, the sum of those people's record keys as the cell key), "
        "released by apps/insights/release.py and added up over the months; the selectors', the API's and the "
        "dashboard's totals equal that "
        f"({c['breach_selectors']['total_released']:,} and {c['organisation_selectors']['total_released']:,} "
        f"contacts published; exact {c['breach_selectors']['total_exact']:,} and "
        f"{c['organisation_selectors']['total_exact']:,}): {'yes' if totals_ok else 'NO'}; country and channel "
        f"cells (shown, partial or hidden) compared: {checked}, different: {wrong}; the largest gap between a "
        f"released monthly count and the exact one, over {monthly:,} released cells: {gap} (INSIGHTS_NOISE_MAX "
        f"{noise_max()}). Registered people as served (from the counts and key sums the scopes keep) against one "
        f"record key computed per proven person, in-process: {registered}.",
        "",
        f"In-process, one request at a time, cache off (Django's test client, median of 15): the stats API "
        f"{api_p['view']:.0f} ms, of which `selectors.statistics()` {api_p.get('statistics', 0):.0f} ms; the "
        f"dashboard {dash_p['view']:.0f} ms, of which `statistics()` {dash_p.get('statistics', 0):.0f} ms, the "
        f"breach filter's choices {dash_p.get('_breach_choices', 0):.0f} ms, the participation table "
        f"{dash_p.get('_participation', 0):.0f} ms, the charts {dash_p.get('figures_for', 0):.0f} ms and the "
        f"template {dash_p.get('render', 0):.0f} ms.",
        "",
        *NOTE,
    ])  # fmt: skip


# Measured on this machine while tuning (issue 6, then the release layer); the figures above are the run's own.
NOTE = """**Before the release layer** (run 2026-11-29 by the same script and method, load average 1.0 to 2.7; every
person counted, no cell keys, figures exact), p95:

| endpoint | cached, 1 / 4 connections | uncached, 1 / 4 connections | raw GROUP BY |
|---|---|---|---|
| stats API of `synthetic-breach-001` (16,411 people, declared included) | 4.3 / 8.9 ms | 39.2 / 97.3 ms | 1,453 ms |
| dashboard of `synthetic-org-001` as its HR (13,150 people) | 18.0 / 43.7 ms | 109.1 / 290.3 ms | 1,305 ms |

What the release layer changed for the reads: every stored cell is released on its own (hidden below K, else its
two counts perturbed from its cell key) before a line's months are added up, which the cache keeps like the rest;
and the registered people behind a scope's figures were counted by computing each proven person's record key (an
HMAC) to make the count's cell key, about 150 ms for everyone at 100,000 people on a quiet machine, on every new
generation of the figures (the run's own figure is in the checks above). Now each Scope keeps its living
contributors' number and record-key sum (`Scope.people`, `people_ckey`,
kept by the incremental path and the rebuild alike, tests/insights/test_registered_people.py), so that count is
one row. A breach's "found in the leaked data" part is still counted person by person: 70% of this breach's
proven people, so it is most of the breach's registered-people time above and of what an uncached stats answer
spends on them; keeping a matched count and key sum per breach scope too is the next step. The perturbation
reads K and the noise's bound and variance
once per process: reading Django's lazy settings five times per released count cost about as much as the noise
itself.

What was changed before (issue 6), and where the time goes:

- **Rebuild.** At 1 million reports (a tenth of this dataset) the first version took 1,271 s: one
  INSERT … SELECT … COUNT(DISTINCT) per kind of cell and source (78 statements), each sorting the facts joined to
  every contributor's scopes, then a deferred check of each new row's two foreign keys at commit (about a third of
  the time). Now (apps/insights/rebuild.py): contributors with the same scopes share a signature, and every cell is
  counted per person, then per signature, then summed per scope, since distinct people add up over disjoint
  signatures (483 s); the rollups' foreign keys are Django-only, as the two writers take the ids from rows they have
  just read, and every dimension is an integer code while grouping (330 s); on PostgreSQL the rows go into a fresh
  table without indexes, which are built once from presorted rows before the table is swapped in, so readers keep
  the old table until the commit and no DELETE leaves tens of millions of dead rows (180 s). The tables are
  identical to the incremental path's on SQLite and PostgreSQL (tests/insights). At 10 million reports the rebuild
  expands the facts into about 390 million (person, cell) pairs and writes over 90 million rows, in one
  PostgreSQL process (a run on a busier machine earlier that day: 25 minutes, of which about 3 for the facts and
  their codes, 10 for the per-signature counts in 50 batches, 9.5 for the per-scope sums and writing, 3 for the
  indexes). The first version was not run at this size (21 minutes at a tenth of it, growing at least in
  proportion). The nightly beat task runs it at 03:40; readers keep the old tables until the swap commits.
- **Reads.** On this database, one request at a time in-process, the code before this change answered the stats
  API in 231 ms and the dashboard in 410 ms; now 45 and 155 ms, with the same figures (the statistics of ten
  selections, all time, months, a channel, two breaches and two organisations, compared equal). Changed: top
  numbers counted every number of the breach's year to find out whether exactly one was left out (now two reads
  that stop at the first rows) and joined all public numbers before ranking (now ranked first, from a partial
  index of the cells of 2 people or more, index-only, then checked); the four facets come in one query; the trend
  reuses the period's total; the months' lines are suppressed on plain pairs, without a Cell per stored cell (a
  year of free-text brands is thousands of cells); the registered people of a breach are counted from a new index
  on exposures (breach, established, person), index-only; the dashboard's breach choices are a semi-join instead
  of a join of every exposure and membership followed by DISTINCT (170 ms), and its organisation's registered
  people are counted once per request.
- **Cache.** What remained after that was mostly not the rollups: on the dashboard the template (the "show as a
  table" tables: about 600 rows with `floatformat`), the participation table's COUNT(DISTINCT)s over the members'
  exposures and Django's own work per request; on the API, the Python that suppresses each month's cells before
  adding them up (about 9,000 cells for a year of this breach, most of them free-text brands). Those results only
  change when the rollups do, so apps/insights/cache.py keeps them (the figures, the registered people, the
  breach choices and the rendered charts and tables) in Redis under a generation token that every rollups update,
  rebuild, breach edit and allowlisting replaces. The *uncached* rows above are what the first request after
  such a change costs; the *cached* ones what every other request costs. The p95 under load also includes
  waiting for one of two cores shared with PostgreSQL, wrk and other work on the machine.
""".splitlines()


if __name__ == "__main__":
    main()
