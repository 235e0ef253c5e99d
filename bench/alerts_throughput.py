"""How many alerts a minute one Celery worker delivers through the outbox to an SMTP server on 127.0.0.1, and
the baseline: Django's send_mail to the same server in a loop (no rows, no leases, no broker).

    python bench/alerts_throughput.py [--alerts 1000] [--database-url postgres://postgres@127.0.0.1:5432/postgres]
        [--broker redis://127.0.0.1:6379/12] [--write]

It creates a database of its own (dropped at the end), queues the alerts with enqueue() in one transaction,
then starts one worker (solo pool, as tests/celery_worker.py does) and times from the first send to the last,
so the worker's start-up is not counted. --write records the result in bench/RESULTS.md.
"""

import argparse
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import write_section  # noqa: E402  (bench/, the script's own folder, is on sys.path)

SECTION = "## Alerts through the outbox (issue 12)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--alerts", type=int, default=1000)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--write", action="store_true", help="record the result in bench/RESULTS.md")
    args = parser.parse_args()

    import psycopg

    database = f"bench_alerts_{uuid.uuid4().hex[:8]}"
    admin_url = args.database_url
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    try:
        from tests.smtp_server import LocalSmtpServer

        with LocalSmtpServer() as smtp:
            env = {
                **os.environ,
                "DEBUG": "true",
                "DATABASE_URL": re.sub(r"/[^/]*$", f"/{database}", admin_url),
                "CELERY_BROKER_URL": args.broker,
                "OUTBOX_QUEUE": queue,
                **smtp.mail_env(),
            }
            os.environ.update(env)
            os.environ["DJANGO_SETTINGS_MODULE"] = "breachwatch.settings"
            import django

            django.setup()
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
            outbox_rate, seconds = _through_outbox(smtp, env, queue, args.alerts)
            baseline_rate, baseline_seconds = _baseline(smtp, args.alerts)
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    report = (
        f"{SECTION}\n\n"
        f"Run {time.strftime('%Y-%m-%d')} by `bench/alerts_throughput.py --alerts {args.alerts}` on {os.cpu_count()} "
        "cores, PostgreSQL + Redis, aiosmtpd on 127.0.0.1 (accepts at once).\n\n"
        "| figure | value |\n|---|---|\n"
        f"| one worker (solo pool) through the outbox: claim, send, mark, history | **{outbox_rate:,.0f} alerts/min** "
        f"({args.alerts} in {seconds:.1f} s) |\n"
        f"| baseline: Django `send_mail` in a loop, one connection per message | {baseline_rate:,.0f} mails/min "
        f"({args.alerts} in {baseline_seconds:.1f} s) |\n"
        f"| outbox / baseline | {outbox_rate / baseline_rate:.2f} |\n"
    )
    print(report)
    if args.write:
        write_section(SECTION, report)


def _through_outbox(smtp, env: dict, queue: str, alerts: int) -> tuple[float, float]:
    from django.db import transaction
    from django.db.models import Max, Min

    from apps.notices.models import OutgoingMessage
    from apps.notices.outbox import enqueue

    with transaction.atomic():
        for n in range(alerts):
            enqueue(
                kind="breach_match", key=f"bench:{n}", to=f"person{n}@example.org", language="it",
                subject=f"Avviso {n}", text="Testo dell'avviso\n" * 10, html="<p>Testo dell'avviso</p>" * 10,
                headers={"List-Unsubscribe": "<https://example.org/u/>"},
            )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "breachwatch", "worker", "--pool=solo", "-Q", queue,
         "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 600
        while OutgoingMessage.objects.filter(state="sent").count() < alerts:
            if time.monotonic() > deadline or worker.poll() is not None:
                raise SystemExit("the worker did not deliver every alert")
            time.sleep(0.5)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    span = OutgoingMessage.objects.aggregate(first=Min("sent_at"), last=Max("sent_at"))
    seconds = (span["last"] - span["first"]).total_seconds()
    assert smtp.handler.accepted == alerts
    return (alerts - 1) / seconds * 60, seconds


def _baseline(smtp, alerts: int) -> tuple[float, float]:
    from django.core.mail import send_mail

    started = time.perf_counter()
    for n in range(alerts):
        send_mail(f"Avviso {n}", "Testo dell'avviso\n" * 10, None, [f"person{n}@example.org"])
    seconds = time.perf_counter() - started
    return alerts / seconds * 60, seconds


if __name__ == "__main__":
    main()
