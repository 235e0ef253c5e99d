"""How long a breach's linkage evidence takes (issue 11, "Performance"), and how much memory it needs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/linkage_evidence.py [--record]

Two datasets of bench/synthetic_reports.py, each in a database of its own on that server (made, migrated and
filled with COPY unless --reuse finds it filled):

- `bw_bench_linkage_1m`: 1,000,000 reports, 100,000 people, the first breach held by exactly 10,000 proven
  members (dataset match or invitation; everyone else a proven person too: an exposure elsewhere or an active
  membership), a fifth of the people with a reporting-since day. compute_evidence() of that breach runs three
  times in a process of its own (best and median), next to a plain-SQL baseline of the same counts in the same
  process: one GROUP BY of the members' daily contacts and one of the numbers' distinct targets.
- `bw_bench_linkage`: the 10-million-report dataset of bench/insights_load.py (100,000 people, 100 breaches),
  and the nightly task (insights.breach_evidence_compute_all, eager: one breach after another in one process,
  as one worker of the analytics queue runs them) over all of it; --breaches N runs only N of them, spread over
  the sizes, and extrapolates, said so in the output.

Peak memory is the process's maximum RSS (getrusage), its Django start-up included. Targets: under 3 s for the
one breach, under 10 min for the nightly run, under 1 GiB.
"""

import argparse
import datetime as dt
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import server_env, write_section  # bench/, the script's own folder, is on sys.path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # apps.reports.scoring, for the counters

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Linkage evidence (issue 11)"
SMALL_DB, LARGE_DB = "bw_bench_linkage_1m", "bw_bench_linkage"
TARGET_ONE_S, TARGET_NIGHTLY_S, TARGET_RSS_MIB = 3.0, 600.0, 1024.0


def env_for(server_url: str, database: str) -> dict:
    return server_env(server_url, database=database, settings="bench.report_bench_settings")


def has_dataset(server_url: str, database: str) -> bool:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
            return False
    with psycopg.connect(re.sub(r"/[^/]*$", f"/{database}", server_url)) as conn:
        try:
            return conn.execute("SELECT EXISTS (SELECT 1 FROM reports_contactreport)").fetchone()[0]
        except psycopg.Error:
            return False


def generate(server_url: str, database: str, *, reports: int, **population) -> dict:
    """A fresh database, migrated and filled by synthetic_reports (the same steps as bench/insights_load.py)."""
    import psycopg
    from synthetic_reports import HR_PASSWORD, Population, load, set_number_counters

    env = env_for(server_url, database)
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    started = time.monotonic()
    # One shared password hash, as insights_load: the bench never logs in, the hash only has to be valid.
    password_hash = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.contrib.auth.hashers import "
         f"make_password; print(make_password({HR_PASSWORD!r}))"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    pop = Population(today=dt.date.today(), **population)
    _django_apps(env)  # the generator maps typed brands with apps.reports.brands
    with psycopg.connect(env["DATABASE_URL"]) as conn:
        # The curated brands' alias keys, as report_submit() maps typed brands (migrations seed them).
        brand_slugs = dict(conn.execute("SELECT key, brand_id FROM reports_brandalias").fetchall())
        timings = load(conn, pop, reports=reports, password_hash=password_hash, brand_slugs=brand_slugs)
        timings["numbers_counters"] = set_number_counters(conn)
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    timings["total"] = time.monotonic() - started
    print(f"  {database}: {reports:,} reports generated in {timings['total']:.0f} s", flush=True)
    return timings


def _django_apps(env: dict) -> None:
    """Django's apps loaded in this process (once; its database is not used here)."""
    import django
    from django.apps import apps

    if not apps.ready:
        os.environ.update({k: v for k, v in env.items() if k != "DATABASE_URL"}, DATABASE_URL=env["DATABASE_URL"])
        django.setup()


# --- what runs in a child process (its own RSS) ------------------------------------------------------------


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def baseline_sql(breach) -> tuple[float, dict]:
    """The same counts in plain SQL: the members' contacts per day in the period, and each number's distinct
    targets among all people since the breach. What any evidence must read at the least."""
    from django.db import connection

    from apps.insights.linkage.compute import default_period

    period = default_period(breach)
    first, after = period.bounds()
    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT (r.occurred_at AT TIME ZONE %s)::date AS day, COUNT(*) FROM reports_contactreport r "
            "WHERE NOT r.hidden AND r.occurred_at >= %s AND r.occurred_at < %s AND r.reporter_id IN "
            "(SELECT person_id FROM breaches_exposure WHERE breach_id = %s "
            " AND established IN ('dataset_match', 'invitation')) GROUP BY 1",
            ["Europe/Rome", first, after, breach.pk],
        )
        days = cur.fetchall()
        since = max(breach.occurred_on, period.start)
        cur.execute(
            "SELECT caller_id, COUNT(DISTINCT reporter_id) FROM reports_contactreport "
            "WHERE NOT hidden AND occurred_at >= %s AND occurred_at < %s GROUP BY caller_id",
            [dt.datetime.combine(since, dt.time(), dt.UTC), after],
        )
        numbers = cur.fetchall()
    return time.perf_counter() - started, {"days": len(days), "numbers": len(numbers)}


def child_one(slug: str, runs: int) -> dict:
    _setup()
    from apps.breaches.models import Breach
    from apps.insights.linkage.compute import compute_evidence

    breach = Breach.objects.get(slug=slug)
    django_rss = _rss_mib()
    times, baselines, result = [], [], None
    for _ in range(runs):
        seconds, counts = baseline_sql(breach)
        baselines.append(seconds)
        started = time.perf_counter()
        result = compute_evidence(breach)
        times.append(time.perf_counter() - started)
    return {
        "seconds": times,
        "baseline_seconds": baselines,
        "baseline_counts": counts,
        "members": result["members"]["people"],
        "controls": result["controls"]["people"],
        "reports": result["inputs"]["reports"],
        "reports_in_windows": result["inputs"]["reports_in_windows"],
        "numbers_tested": result["numbers_tested"],
        "linked_numbers": len(result["linked_numbers"]),
        "campaigns": len(result["campaigns"]),
        "onset": result["onset"]["date"] if result["onset"] else None,
        "occurred": result["dates"]["occurred"],
        "not_enough_data": [r["code"] for r in result["not_enough_data"]],
        "rss_django_mib": django_rss,
        "rss_peak_mib": _rss_mib(),
    }


def child_nightly(limit: int | None) -> dict:
    """The nightly task as beat starts it, eager (no broker): every breach's evidence computed and stored."""
    _setup()
    from django.db.models import Count

    from apps.breaches.models import Breach
    from apps.insights import tasks
    from apps.insights.models import BreachEvidence

    django_rss = _rss_mib()
    all_breaches = Breach.objects.count()
    started = time.perf_counter()
    if limit is None:
        tasks.breach_evidence_compute_all()
    else:  # a sample spread over the sizes (every k-th by number of exposures, the biggest first)
        ranked = list(Breach.objects.annotate(n=Count("exposures")).order_by("-n", "pk").values_list("pk", flat=True))
        for pk in ranked[:: max(len(ranked) // limit, 1)][:limit]:
            tasks.breach_evidence_compute.delay(pk)
    seconds = time.perf_counter() - started
    stored = list(BreachEvidence.objects.values_list("breach__slug", "seconds", "members", "reports"))
    return {
        "seconds": seconds,
        "breaches": len(stored),
        "all_breaches": all_breaches,
        "slowest": sorted(stored, key=lambda row: -row[1])[:3],
        "per_breach_seconds": [row[1] for row in stored],
        "rss_django_mib": django_rss,
        "rss_peak_mib": _rss_mib(),
    }


def run_child(env: dict, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", *args], cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)},
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def run_nightly(server_url: str, breaches: int | None, timeout: float) -> dict:
    """The nightly child; past `timeout` seconds it is stopped, and the figures are those of the breaches it
    stored by then (BreachEvidence.seconds, as the task measured them) and its peak RSS so far (VmHWM)."""
    import psycopg

    env = env_for(server_url, LARGE_DB)
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        conn.execute("DELETE FROM insights_breachevidence")
        conn.execute("DELETE FROM insights_surgesignal")
        all_breaches = conn.execute("SELECT COUNT(*) FROM breaches_breach").fetchone()[0]
    started = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, __file__, "--child", "nightly", str(breaches or "all")], cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    peak = 0.0
    while child.poll() is None and time.monotonic() - started < timeout:
        peak = max(peak, _peak_rss_of(child.pid))
        time.sleep(1)
    if child.poll() is not None:
        return json.loads(child.stdout.read().strip().splitlines()[-1])
    peak = max(peak, _peak_rss_of(child.pid))
    child.kill()
    child.wait()
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        stored = conn.execute(
            "SELECT b.slug, e.seconds, e.members, e.reports FROM insights_breachevidence e "
            "JOIN breaches_breach b ON b.id = e.breach_id"
        ).fetchall()
    return {
        "seconds": sum(row[1] for row in stored), "breaches": len(stored), "all_breaches": all_breaches,
        "stopped_after": timeout, "slowest": sorted(stored, key=lambda row: -row[1])[:3],
        "rss_django_mib": float("nan"), "rss_peak_mib": peak,
    }  # fmt: skip


def _peak_rss_of(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
    return int(found.group(1)) / 1024 if found else 0.0


# --- report ------------------------------------------------------------------------------------------------


def report(f: dict) -> str:
    one, night = f["one"], f["nightly"]
    best, median = min(one["seconds"]), statistics.median(one["seconds"])
    base = statistics.median(one["baseline_seconds"])
    lines = [
        SECTION,
        "",
        f"Run {f['date']} by `bench/linkage_evidence.py{f['argv']}` on {os.cpu_count()} cores ({platform.machine()}), "
        f"Python {platform.python_version()}, PostgreSQL {f['postgres']} in its default configuration; load "
        f"average {f['load']:.1f} at the start (other work shares this machine).",
        "",
        "| figure | value | target |",
        "|---|---|---|",
        f"| one breach: {one['members']:,} proven members, {one['controls']:,} controls, {one['reports']:,} reports "
        f"in its period ({one['reports_in_windows']:,} in windows) of a 1,000,000-report database | "
        f"**{median:.2f} s** median of {len(one['seconds'])} (best {best:.2f} s) | < 3 s |",
        f"| plain-SQL baseline of the same counts (members' contacts per day; numbers' distinct targets) | "
        f"{base:.2f} s; evidence / baseline = **{median / base:.1f}×** | |",
        f"| its result | {one['numbers_tested']:,} numbers tested, {one['linked_numbers']:,} linked, "
        f"{one['campaigns']} campaigns, onset {one['onset']} (occurred {one['occurred']}) | |",
        f"| its peak RSS (Django alone) | {one['rss_peak_mib']:.0f} MiB ({one['rss_django_mib']:.0f} MiB) "
        "| < 1024 MiB |",
    ]
    done = night["breaches"]
    if done == night["all_breaches"]:
        lines.append(
            f"| nightly run, all {done} breaches of {f['large_reports']:,} reports, one process | "
            f"**{night['seconds'] / 60:.1f} min** | < 10 min |"
        )
    elif "stopped_after" in night:
        estimate = night["seconds"] / max(done, 1) * night["all_breaches"]
        lines.append(
            f"| nightly run of {night['all_breaches']} breaches of {f['large_reports']:,} reports, one process | "
            f"stopped after {night['stopped_after'] / 60:.0f} min with {done} stored ({night['seconds']:.0f} s "
            f"of computing, the biggest first); all {night['all_breaches']} extrapolated linearly **≈ "
            f"{estimate / 60:.0f} min** (not measured; the smaller breaches read the same controls' reports) "
            f"| < 10 min |"
        )
    else:
        estimate = night["seconds"] / done * night["all_breaches"]
        lines.append(
            f"| nightly run, {done} of {night['all_breaches']} breaches (every {night['all_breaches'] // done}th by "
            f"size, the biggest first) of {f['large_reports']:,} reports, one process | {night['seconds'] / 60:.1f} "
            f"min; all {night['all_breaches']} extrapolated linearly **≈ {estimate / 60:.0f} min** (not measured) "
            f"| < 10 min |"
        )
    slowest = ", ".join(f"{slug} {s:.1f} s ({m:,} members)" for slug, s, m, _ in night["slowest"])
    lines += [
        f"| slowest breaches | {slowest} | |",
        f"| nightly peak RSS (Django alone) | {night['rss_peak_mib']:.0f} MiB "
        + (f"({night['rss_django_mib']:.0f} MiB)" if night["rss_django_mib"] == night["rss_django_mib"] else "")
        + " | < 1024 MiB |",
        "",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--reuse", action="store_true", help="keep the datasets already in their databases")
    parser.add_argument("--runs", type=int, default=3, help="computations of the one breach")
    parser.add_argument("--breaches", type=int, default=None, help="nightly run over N breaches spread over the sizes")
    parser.add_argument("--large-reports", type=int, default=10_000_000)
    parser.add_argument("--skip-nightly", action="store_true")
    parser.add_argument("--nightly-timeout", type=float, default=1800, help="stop the nightly run after this")
    parser.add_argument("--record", action="store_true", help="write the figures to bench/RESULTS.md")
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        figures = child_one(rest[0], int(rest[1])) if kind == "one" else child_nightly(
            int(rest[0]) if rest and rest[0] != "all" else None
        )  # fmt: skip
        print(json.dumps(figures))
        return

    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server (any database on it; the bench makes its own).")
    load = os.getloadavg()[0]
    shared = {"people": 100_000, "numbers": 200_000, "breaches": 100, "organisations": 100, "seed": 2026}
    if not (args.reuse and has_dataset(server_url, SMALL_DB)):
        generate(server_url, SMALL_DB, reports=1_000_000, first_breach_members=10_000, reporting_since_share=0.2,
                 **shared)  # fmt: skip
    one = run_child(env_for(server_url, SMALL_DB), "one", "synthetic-breach-001", str(args.runs))
    print(json.dumps(one), flush=True)
    night = None
    if not args.skip_nightly:
        if not (args.reuse and has_dataset(server_url, LARGE_DB)):
            generate(server_url, LARGE_DB, reports=args.large_reports, **shared)
        night = run_nightly(server_url, args.breaches, args.nightly_timeout)
        print(json.dumps({k: v for k, v in night.items() if k != "per_breach_seconds"}), flush=True)
    import psycopg

    with psycopg.connect(server_url) as conn:
        postgres = conn.execute("SHOW server_version").fetchone()[0].split()[0]
    figures = {
        "date": dt.date.today().isoformat(), "load": load, "postgres": postgres, "one": one, "nightly": night,
        "large_reports": args.large_reports,
        "argv": "".join(f" {a}" for a in sys.argv[1:]),
    }  # fmt: skip
    if night is not None:
        text = report(figures)
        print(text)
        if args.record:
            write_section(SECTION, text)


if __name__ == "__main__":
    main()
