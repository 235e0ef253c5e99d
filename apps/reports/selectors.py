"""Reads of caller numbers and reports, as plain data for pages, the API and the blocklists.

What a number's public page publishes (its released counts, breakdowns and breaches) is in published.py.
"""

from django.db.models import Exists, OuterRef, QuerySet

from apps.breaches.models import Breach, Exposure
from apps.core import formats
from apps.reports.models import CallerNumber, ContactReport
from apps.reports.published import number_breakdown
from apps.reports.verdict import number_verdict


def caller_number_by_e164(e164: str) -> CallerNumber | None:
    return CallerNumber.objects.filter(e164=e164).first()


def numbers_that_called(person) -> QuerySet:
    """Public numbers the person reported: their personal blocklist."""
    reported = ContactReport.objects.of_reporter(person).values("caller")
    return CallerNumber.objects.public().filter(pk__in=reported).order_by("-last_seen", "e164")


def numbers_recently_public(*, limit: int = 10) -> QuerySet:
    return CallerNumber.objects.public().order_by("-last_seen")[:limit]


def reports_of_person(person) -> QuerySet:
    """The person's own reports with their numbers, newest first."""
    return ContactReport.objects.of_reporter(person).select_related("caller").order_by("-created_at")


def number_reputation(number: CallerNumber) -> dict:
    """What the API says about a public number: its page's verdict, facts and breakdown."""
    breakdown = number_breakdown(number)
    verdict = number_verdict(number, breakdown)
    return {
        "e164": number.e164,
        "display": verdict["display"],
        "verdict": verdict["verdict"],
        "verdict_label": verdict["label"],
        "verdict_reason": verdict["reason"],
        "country": number.country,
        "country_name": formats.country_name(number.country),
        "region": number.region,
        "carrier": number.carrier,
        "line_type": number.line_type,
        "valid": number.valid,
        "reports": breakdown["totals"]["reports"],
        "reporters": breakdown["totals"]["reporters"],
        "spam_confidence": breakdown["confidence"],
        "first_seen": number.first_seen,
        "last_seen": number.last_seen,
        "channels": [{"channel": r["channel"], "reporters": r["reporters"]} for r in breakdown["channels"]],
        "scripts": [{"script": r["script"], "reporters": r["reporters"]} for r in breakdown["scripts"]],
        "impersonated_brands": breakdown["brands"],
        "breaches": breakdown["breaches"],
    }


# The columns the moderation table shows (reports/partials/officer_report_rows.html): the notes are the only
# long text, and nothing else of the report (what the caller knew, the loss, the contacted phone) is read.
MODERATION_COLUMNS = (
    "id",
    "reporter",  # whose figures the report is in (views.officers marks the not yet proven)
    "created_at",
    "occurred_at",
    "channel",
    "script",
    "impersonated_brand",
    "curated_brand",
    "notes",
    "low_weight",
    "hidden",
    "hidden_reason",
    "caller__e164",
)
MODERATION_SORTS = ("-created_at", "created_at", "-occurred_at", "occurred_at")


def reports_for_moderation(
    *,
    e164: str = "",
    channel: str = "",
    since=None,
    until=None,
    low_weight: bool | None = None,
    breach: Breach | None = None,
    hidden: bool | None = None,
    sort: str = "-created_at",
) -> QuerySet:
    """The reports officers moderate, filtered and sorted, with only the columns the table shows.

    `since` and `until` are aware datetimes bounding when the contact happened (until excluded); `breach`
    keeps the reports of people linked to that breach however the link was established (matched, invited or
    declared: a moderator looks for abuse among all of them)."""
    if sort not in MODERATION_SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    reports = ContactReport.objects.select_related("caller").only(*MODERATION_COLUMNS)
    if e164:
        reports = reports.filter(caller__e164=e164)
    if channel:
        reports = reports.filter(channel=channel)
    if since is not None:
        reports = reports.filter(occurred_at__gte=since)
    if until is not None:
        reports = reports.filter(occurred_at__lt=until)
    if low_weight is not None:
        reports = reports.filter(low_weight=low_weight)
    if hidden is not None:
        reports = reports.filter(hidden=hidden)
    if breach is not None:
        # A correlated EXISTS, not `reporter IN (…)`: most reports come from a breach's people, and with IN
        # SQLite read them all by reporter and sorted 33,000 rows for a page of 50 (86 ms); with EXISTS it walks
        # the date index and stops at 50 (bench/officer_pages.py). A join would repeat a report once per way
        # its reporter is linked.
        linked = Exposure.objects.filter(breach=breach, person=OuterRef("reporter_id"))
        reports = reports.filter(Exists(linked))
    return reports.order_by(sort, "-pk" if sort.startswith("-") else "pk")
