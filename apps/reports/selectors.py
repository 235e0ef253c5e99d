"""Reads of caller numbers and reports, as plain data for pages, the API and the blocklists.

Every figure counts distinct reporters (the `contributor` of a report), never raw reports. The breakdowns of
one number scan only that number's reports through the (caller, occurred_at) index, and are cached until
the number's counters are next refreshed.
"""

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import translation

from apps.breaches.models import Breach, Exposure
from apps.core import formats
from apps.reports.models import Brand, CallerNumber, Channel, ContactReport, Script
from apps.reports.scoring import PUBLIC_THRESHOLD
from apps.reports.verdict import number_verdict

BREAKDOWN_CACHE_SECONDS = 3600


def caller_number_by_e164(e164: str) -> CallerNumber | None:
    return CallerNumber.objects.filter(e164=e164).first()


def number_breakdown(number: CallerNumber) -> dict:
    """Channels, scripts, impersonated brands and targeted breaches of a number, each with its reporters."""
    stamp = number.refreshed_at.timestamp() if number.refreshed_at else 0
    key = f"reports:breakdown:{number.pk}:{stamp}:{translation.get_language()}"  # labels are translated
    breakdown = cache.get(key)
    if breakdown is None:
        breakdown = {
            "channels": reporters_by_channel(number),
            "scripts": reporters_by_script(number),
            "brands": brands_named(number),
            "breaches": breaches_targeted(number),
        }
        cache.set(key, breakdown, BREAKDOWN_CACHE_SECONDS)
    return breakdown


def _visible_reports(number: CallerNumber) -> QuerySet:
    return ContactReport.objects.visible().filter(caller=number)


def reporters_by_channel(number: CallerNumber) -> list[dict]:
    """[{"channel", "label", "reporters"}], most reported first."""
    rows = _visible_reports(number).values("channel").annotate(reporters=Count("contributor", distinct=True))
    labels = dict(Channel.choices)
    return sorted(
        ({"channel": r["channel"], "label": labels.get(r["channel"], r["channel"]), "reporters": r["reporters"]}
         for r in rows),
        key=lambda row: (-row["reporters"], row["channel"]),
    )  # fmt: skip


def reporters_by_script(number: CallerNumber) -> list[dict]:
    """[{"script", "label", "reporters"}] for reports that said what the contact was about."""
    rows = (
        _visible_reports(number)
        .exclude(script="")
        .values("script")
        .annotate(reporters=Count("contributor", distinct=True))
    )
    labels = dict(Script.choices)
    return sorted(
        ({"script": r["script"], "label": labels.get(r["script"], r["script"]), "reporters": r["reporters"]}
         for r in rows),
        key=lambda row: (-row["reporters"], row["script"]),
    )  # fmt: skip


def brands_named(number: CallerNumber, *, min_reporters: int = PUBLIC_THRESHOLD) -> list[dict]:
    """[{"slug", "brand", "reporters"}]: curated brands impersonated, each named by at least `min_reporters`
    people, with its name in the active language.

    Only brands of the curated list are ever shown (what people typed stays private: anyone could type a
    name, an insult or a phishing address), and only when several people named the same one.
    """
    rows = (
        _visible_reports(number)
        .filter(curated_brand__isnull=False)
        .values("curated_brand")
        .annotate(reporters=Count("contributor", distinct=True))
        .filter(reporters__gte=min_reporters)
    )
    counts = {row["curated_brand"]: row["reporters"] for row in rows}
    names = {brand.slug: brand.name for brand in Brand.objects.filter(slug__in=list(counts))}
    return sorted(
        ({"slug": slug, "brand": names[slug], "reporters": n} for slug, n in counts.items()),
        key=lambda row: (-row["reporters"], row["brand"]),
    )


def breaches_targeted(number: CallerNumber, *, min_reporters: int = PUBLIC_THRESHOLD) -> list[dict]:
    """[{"slug", "title", "reporters"}]: public breaches whose members reported the number after the breach
    happened, by distinct members.

    Only breaches with at least `min_reporters` such members: one member's report does not link a number to
    a breach, and a sensitive breach is never named. A contact before the breach's date cannot come from its
    leak, so a number whose calls all predate a breach is never said to call that breach's people.
    """
    reporters = _visible_reports(number).filter(reporter__isnull=False).values("reporter")
    since_the_breach = _visible_reports(number).filter(
        reporter=OuterRef("person"), occurred_at__date__gte=OuterRef("breach__occurred_on")
    )
    rows = (
        Exposure.objects.filter(person__in=reporters, breach__is_sensitive=False)
        .filter(Exists(since_the_breach))
        .values("breach")
        .annotate(reporters=Count("person", distinct=True))
        .filter(reporters__gte=min_reporters)
    )
    counts = {row["breach"]: row["reporters"] for row in rows}
    breaches = Breach.objects.filter(pk__in=list(counts)).only("slug", "title_it", "title_en")
    return sorted(
        ({"slug": b.slug, "title": b.title, "reporters": counts[b.pk]} for b in breaches),
        key=lambda row: (-row["reporters"], row["title"]),
    )


def numbers_targeting_breach(breach: Breach, *, min_reporters: int = PUBLIC_THRESHOLD) -> QuerySet:
    """Public numbers reported by at least `min_reporters` distinct members of `breach` since it happened,
    newest first.

    The same rule as breaches_targeted(), seen from the breach: what its blocklists hold.
    """
    members = Exposure.objects.filter(breach=breach).values("person")
    linked = (
        ContactReport.objects.visible()
        .filter(reporter__in=members, caller__is_public=True, occurred_at__date__gte=breach.occurred_on)
        .values("caller")
        .annotate(reporters=Count("reporter", distinct=True))
        .filter(reporters__gte=min_reporters)
        .values("caller")
    )
    return CallerNumber.objects.public().filter(pk__in=linked).order_by("-last_seen", "e164")


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
        "reports": number.reports_count,
        "reporters": number.reporters_count,
        "spam_confidence": number.spam_confidence,
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
