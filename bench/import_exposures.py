"""Benchmark of the leaked-dataset import (issue 4), on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bw_bench .venv/bin/python bench/import_exposures.py --rows 1000000

Generates a synthetic leaked CSV (Latin-1, ";", Italian headers, messy phone formats, 2% invalid rows, 5%
duplicates, fictitious people), imports it through apps.breaches.services.import_exposures in a fresh
process (so its peak RSS is its own), also imports a quarter-size file to show memory does not grow with
the file, times a plain psycopg COPY of as many precomputed digests as a floor, checks 1,000 sampled rows
against the reference path (phonenumbers.parse → is_valid_number → E.164 → HMAC) and the exact counts,
records the plan of the "am I affected?" lookup, and writes everything to bench/RESULTS.md.
"""

import argparse
import datetime
import hmac
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import write_section  # bench/, the script's own folder, is on sys.path
from synthetic_leak import generate

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Dataset import (issue 4)"


def ensure_database(url: str) -> None:
    """Create the database DATABASE_URL names when the server does not have it yet (a fresh server holds only
    `postgres`), so the command above works as written; an existing one is reused, since the bench deletes
    the breaches it made before and after each run."""
    from urllib.parse import urlsplit

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}", flush=True)


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "breachwatch.settings")
    os.environ.setdefault("DEBUG", "true")  # a development run: the production settings would want secrets
    import django

    django.setup()


# --- one import, in its own process ------------------------------------------------------------------------
def child(csv_path: str, slug: str) -> None:
    setup_django()
    import logging

    from apps.breaches.models import Breach, Organisation
    from apps.breaches.services import import_exposures

    phases = {}

    class Phases(logging.Handler):  # the pipeline logs how long reading/hashing and inserting took
        def emit(self, record):
            if record.msg.startswith("Imported"):
                _rows, phases["total"], phases["read_hash"], phases["insert"] = record.args

    logger = logging.getLogger("apps.breaches.importing.pipeline")
    logger.setLevel(logging.INFO)
    logger.addHandler(Phases())
    organisation, _ = Organisation.objects.get_or_create(slug="bench-org", defaults={"name": "Bench (synthetic)"})
    Breach.objects.filter(slug=slug).delete()
    breach = Breach.objects.create(
        organisation=organisation, slug=slug, title=f"Benchmark {slug}", occurred_on=datetime.date(2024, 11, 15)
    )
    sampler = RssSampler()
    cpu_before = _cpu_seconds()
    sampler.start()
    started = time.perf_counter()
    result = import_exposures(breach=breach, path=csv_path)
    elapsed = time.perf_counter() - started
    sampler.stop.set()
    sampler.join()
    print(json.dumps({
        "seconds": elapsed, "phases": phases, "cpu_seconds": _cpu_seconds() - cpu_before,
        "rss_baseline_mib": sampler.baseline / 1024, "rss_self_mib": sampler.own / 1024,
        "rss_children_mib": max(sampler.workers.values(), default=0) / 1024,
        "maxrss_self_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "breach_id": breach.pk, "status": result.status, "error": result.error, "rows_read": result.rows_read,
        "phones_stored": result.phones_stored, "emails_stored": result.emails_stored,
        "duplicates": result.duplicates, "skipped": result.skipped, "options": result.options,
    }))  # fmt: skip


class RssSampler(threading.Thread):
    """Peak resident memory of this process and of each child (the pool workers), read from /proc every 50 ms.
    (getrusage's ru_maxrss would credit each spawned worker with the parent's size at fork, before exec.)"""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.baseline = self.own = _rss_kib(os.getpid())
        self.workers: dict[int, int] = {}

    def run(self):
        while not self.stop.wait(0.05):
            self.own = max(self.own, _rss_kib(os.getpid()))
            for pid in _children():
                if kib := _rss_kib(pid):
                    self.workers[pid] = max(self.workers.get(pid, 0), kib)


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return 0


def _children() -> set[int]:
    found = set()
    for task in Path("/proc/self/task").iterdir():
        try:
            found.update(int(pid) for pid in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def _cpu_seconds() -> float:
    """User + system time of this process and its finished children (the import's worker processes)."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def run_child(csv_path: Path, slug: str) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", str(csv_path), "--slug", slug],
        check=True, capture_output=True, text=True, env=os.environ,
    )  # fmt: skip
    return json.loads(output.stdout.strip().splitlines()[-1])


# --- the floor: plain COPY of as many precomputed digests ---------------------------------------------------
def baseline_copy(count: int) -> float:
    from django.db import connection

    rows = [("phone" if i % 2 else "email", os.urandom(32)) for i in range(count)]
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_copy (kind text NOT NULL, digest bytea NOT NULL)")
        started = time.perf_counter()
        with cursor.copy("COPY bench_copy (kind, digest) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_copy")
    return elapsed


# --- correctness ------------------------------------------------------------------------------------------
def check_sample(breach_id: int, expected: dict) -> dict:
    import phonenumbers
    from django.conf import settings

    from apps.breaches.models import ExposedIdentifier

    key = settings.IDENTIFIER_PEPPER.encode()

    def reference(kind: str, value: str) -> bytes:
        return hmac.digest(key, f"{kind}:{value}".encode(), "sha256")

    stored = ExposedIdentifier.objects.filter(breach_id=breach_id)
    checked = mismatches = absent_ok = 0
    for row in expected["sample"]:
        try:
            number = phonenumbers.parse(row["phone"], "IT")
            e164 = (
                phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
                if phonenumbers.is_valid_number(number)
                else None
            )
        except phonenumbers.NumberParseException:
            e164 = None
        email = row["email"].strip().lower()
        if row["valid"]:
            checked += 1
            ok = e164 and stored.filter(kind="phone", digest=reference("phone", e164)).exists()
            ok = ok and stored.filter(kind="email", digest=reference("email", email)).exists()
            mismatches += not ok
        else:
            guesses = [reference("phone", "+39" + re.sub(r"\D", "", row["phone"])), reference("email", email)]
            absent_ok += not stored.filter(digest__in=guesses).exists()
    invalid = len(expected["sample"]) - checked
    return {"valid_checked": checked, "mismatches": mismatches, "invalid_checked": invalid, "invalid_absent": absent_ok}


def lookup_plan(expected: dict) -> str:
    from django.conf import settings
    from django.db import connection

    from apps.breaches.selectors import breach_ids_holding

    # What autovacuum does soon after a big insert; it sets the visibility map an index-only scan relies on.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) breaches_exposedidentifier")
    key = settings.IDENTIFIER_PEPPER.encode()
    phone, email = expected["some_person"]
    query = breach_ids_holding(
        phone_digests=[hmac.digest(key, f"phone:{phone}".encode(), "sha256")],
        email_digests=[hmac.digest(key, f"email:{email}".encode(), "sha256")],
    )
    return query.explain(analyze=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--slug", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.slug)
        return

    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        ensure_database(os.environ["DATABASE_URL"])
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("Run this on PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/bw_bench …")
    call_command("migrate", verbosity=0)
    quarter = max(args.rows // 4, 1)
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bw-bench-") as directory:
        print(f"Generating {quarter:,} and {args.rows:,} rows…", flush=True)
        small_path, big_path = Path(directory) / "leak-quarter.csv", Path(directory) / "leak.csv"
        generate(small_path, quarter, args.seed + 1, 0)
        expected = generate(big_path, args.rows, args.seed, 1000)
        size_mib = big_path.stat().st_size / 2**20
        print(f"Importing {quarter:,} rows…", flush=True)
        small = run_child(small_path, "bench-quarter")
        print(f"Importing {args.rows:,} rows ({size_mib:.0f} MiB)…", flush=True)
        big = run_child(big_path, "bench-full")
    assert big["status"] == "succeeded", big["error"]
    counts_ok = (
        big["rows_read"] == args.rows
        and big["phones_stored"] == expected["phones"]
        and big["emails_stored"] == expected["emails"]
        and big["skipped"] == expected["invalid_rows"]
        and big["duplicates"] == expected["valid_identifiers"] - expected["phones"] - expected["emails"]
    )
    identifiers = big["phones_stored"] + big["emails_stored"] + big["duplicates"]
    copy_seconds = baseline_copy(identifiers)
    sample = check_sample(big["breach_id"], expected)
    plan = lookup_plan(expected)
    figures = {
        "rows": args.rows, "file_mib": size_mib, "big": big, "small": small, "quarter": quarter,
        "copy_seconds": copy_seconds, "identifiers": identifiers, "load": load, "counts_ok": counts_ok,
        "sample": sample,
        "expected": {k: v for k, v in expected.items() if k not in ("sample", "some_person")},
        "index_used": "Index Only Scan" in plan or "Index Scan" in plan or "Bitmap Index Scan" in plan,
    }  # fmt: skip
    report = render(figures, plan)
    print(report)
    if not args.no_write:
        write_section(SECTION, report)
    from apps.breaches.models import Breach

    Breach.objects.filter(slug__startswith="bench-").delete()  # leave the bench database small


def render(f: dict, plan: str) -> str:
    from django.db import connection

    big, small, sample = f["big"], f["small"], f["sample"]
    with open("/proc/cpuinfo") as cpuinfo:
        cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0].split()[0]
    phases = big["phases"]
    return "\n".join([
        SECTION,
        "",
        f"Run {datetime.date.today().isoformat()} by `bench/import_exposures.py --rows {f['rows']}` on "
        f"{os.cpu_count()} cores (`nproc`; {cpu}), Python {platform.python_version()}, PostgreSQL {pg}; "
        f"load average {f['load']:.1f} when it started (other work on the machine slows the wall-clock figures).",
        "",
        "| figure | value |",
        "|---|---|",
        f"| rows imported | {big['rows_read']:,} ({f['file_mib']:.0f} MiB, Latin-1, `;`, 7 columns) |",
        f"| import time (wall clock) | **{big['seconds']:.1f} s**, {big['rows_read'] / big['seconds']:,.0f} rows/s "
        "(target: under 30 s) |",
        f"| of which reading + normalising + hashing + COPY to staging / final INSERT | "
        f"{phases.get('read_hash', 0):.1f} s / {phases.get('insert', 0):.1f} s |",
        f"| CPU time of the importing process and its workers (PostgreSQL's not included) | "
        f"{big['cpu_seconds']:.1f} s |",
        f"| phone numbers / e-mails stored | {big['phones_stored']:,} / {big['emails_stored']:,} |",
        f"| duplicates / rows skipped | {big['duplicates']:,} / {big['skipped']:,} |",
        f"| counts equal to what the generator wrote | {'yes' if f['counts_ok'] else 'NO'} |",
        f"| baseline: plain psycopg COPY (`write_row`) of {f['identifiers']:,} precomputed (kind, digest) rows into "
        f"a temp table | {f['copy_seconds']:.1f} s; import / baseline = {big['seconds'] / f['copy_seconds']:.1f}× |",
        f"| peak RSS at {small['rows_read']:,} rows: importing process (of which Django before the import) / "
        f"largest worker | {small['rss_self_mib']:.0f} MiB ({small['rss_baseline_mib']:.0f} MiB) / "
        f"{small['rss_children_mib']:.0f} MiB |",
        f"| peak RSS at {big['rows_read']:,} rows: importing process (of which Django before the import) / "
        f"largest worker | {big['rss_self_mib']:.0f} MiB ({big['rss_baseline_mib']:.0f} MiB) / "
        f"{big['rss_children_mib']:.0f} MiB |",
        f"| 1,000 random rows vs phonenumbers.parse → is_valid_number → E.164 → HMAC | {sample['valid_checked']} valid "
        f"rows, {sample['mismatches']} mismatches; {sample['invalid_absent']} of {sample['invalid_checked']} invalid "
        "rows absent |",
        f"| \"am I affected?\" lookup of one person's digests uses an index | {'yes' if f['index_used'] else 'NO'} |",
        "",
        "What the time goes to, and the choices it led to (measured while tuning, on this machine, inserting about "
        "2 M digests):",
        "",
        "- The final INSERT dominates. A database foreign key on `breach_id` fired a deferred trigger per row and "
        "doubled it (about +9 s), so ExposedIdentifier keeps the Django ForeignKey without the database constraint "
        "(the import locks the breach row instead). Its primary key (digest, kind, breach) is both the uniqueness "
        "and the lookup index, so the table has two indexes instead of four (id, unique, lookup, breach).",
        "- `INSERT … SELECT DISTINCT … ORDER BY digest` with an anti-join under a per-breach advisory lock took "
        "6.7 s where `ON CONFLICT DO NOTHING` (speculative insertion) took 10.1 s; sorting by digest feeds the "
        "primary key in order (random order: about 1.7× slower).",
        "- Workers: HMAC with the key's padded blocks hashed once (0.85 µs instead of 2.8 µs per identifier, "
        "same digests as `apps.phones.hashing.make_hasher`), and Italian mobiles and landlines read against "
        "phonenumbers' own IT patterns without its parser (about 1.5 µs instead of about 35 µs; 1.3 M generated "
        "strings compared equal to `normalise_phone()`), everything else through `normalise_phone()`.",
        "",
        "`EXPLAIN ANALYZE` of `selectors.breach_ids_holding()` for one person's phone and e-mail digests, after "
        "`VACUUM (ANALYZE)`:",
        "",
        "```",
        plan,
        "```",
        "",
    ])  # fmt: skip


if __name__ == "__main__":
    main()
