"""What a caller number's public page, its API answer and the breach blocklists publish: every count released.

The same rule as every other figure (apps/insights/release.py): only proven people count (those the national
scope of the statistics holds: apps/insights/scopes.py), a count of fewer than K people is not published, and
every other count is perturbed consistently, with the cell key of the very people it counts, so that a
number's page agrees with the statistics pages and a count that moves by one person moves by an unknowable
amount. A breach is named only when K of its proven members reported the number after the breach happened.
"""

from collections import defaultdict

from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.utils import translation

from apps.breaches.models import Breach, Exposure
from apps.insights.models import ALL_TIME, ANY, ContributorScope, NumberRollup
from apps.insights.release import min_people, people_count, release
from apps.insights.scopes import scope_for
from apps.reports import scoring
from apps.reports.models import Brand, CallerNumber, Channel, ContactReport, Script

BREAKDOWN_CACHE_SECONDS = 3600


def proven_reports(number: CallerNumber) -> QuerySet:
    """The number's visible reports made by proven people (the only ones any published figure counts)."""
    national = scope_for()
    if national is None:
        return ContactReport.objects.none()
    proven = ContributorScope.objects.filter(scope=national).values("contributor")
    return ContactReport.objects.visible().filter(caller=number, contributor__in=proven)


def _released_totals(caller_ids: list[int]) -> dict[int, dict]:
    """{caller id: {"reports", "reporters"}} as published (None: fewer than K proven people), from each number's
    all-time cell of everyone's statistics: the figures the statistics pages would show for it."""
    national = scope_for()
    totals = {pk: {"reports": None, "reporters": None} for pk in caller_ids}
    if national is None or not caller_ids:
        return totals
    rows = NumberRollup.objects.filter(
        scope=national, grain="all", period=ALL_TIME, channel=ANY, caller__in=caller_ids
    ).values_list("caller", "reports", "reporters", "ckey")
    for caller, reports, people, ckey in rows:
        cell = release("number", reports, people, ckey)
        if not cell.hidden:
            totals[caller] = {"reports": cell.contacts, "reporters": cell.people}
    return totals


def number_totals(number: CallerNumber) -> dict:
    """{"reports", "reporters"} of one number as published."""
    return _released_totals([number.pk])[number.pk]


def number_breakdown(number: CallerNumber) -> dict:
    """Totals, channels, scripts, impersonated brands and targeted breaches of a number, each with its people
    as published; cached until the number's counters are next refreshed."""
    stamp = number.refreshed_at.timestamp() if number.refreshed_at else 0
    key = f"reports:breakdown:{number.pk}:{stamp}:{min_people()}:{translation.get_language()}"  # translated labels
    breakdown = cache.get(key)
    if breakdown is None:
        reports = proven_reports(number)
        totals = number_totals(number)
        breakdown = {
            "totals": totals,
            "confidence": (confidence := published_confidence(number, totals["reporters"])),
            "confidence_percent": round(confidence * 100),
            "channels": _people_by(reports, "channel", dict(Channel.choices)),
            "scripts": _people_by(reports.exclude(script=""), "script", dict(Script.choices)),
            "top_script": top_script(reports),
            "brands": brands_named(reports),
            "breaches": breaches_targeted(number),
        }
        cache.set(key, breakdown, BREAKDOWN_CACHE_SECONDS)
    return breakdown


def published_confidence(number: CallerNumber, published_reporters: int | None) -> float:
    """The unwanted-contact confidence as published (0..1, two decimals): the Wilson lower bound of the published
    reporters (the public threshold R when fewer than K proven people reported it) against the open disputes.

    The live `spam_confidence` counts every reporter exactly, the unproven ones too, so it moved with each
    report and gave the exact reporter count back to anyone who watched it before and after their own report.
    This one moves only when a published figure moves, or when someone disputes the number (which its page
    says in words anyway)."""
    positive = scoring.PUBLIC_THRESHOLD if published_reporters is None else published_reporters
    return round(scoring.wilson_lower_bound(positive, number.legitimate_evidence), 2)


def _people_by(reports: QuerySet, field: str, labels: dict) -> list[dict]:
    """[{field, "label", "reporters"}] of the values at least K proven people reported, most first."""
    people = defaultdict(set)
    for value, contributor in reports.values_list(field, "contributor").distinct():
        people[value].add(contributor)
    rows = []
    for value, contributors in people.items():
        published = people_count(contributors)
        if published:
            rows.append({field: value, "label": labels.get(value, value), "reporters": published})
    return sorted(rows, key=lambda row: (-row["reporters"], row[field]))


def top_script(reports: QuerySet) -> dict | None:
    """{"script", "label"}: what most of the number's proven reporters said it was about (by distinct people),
    for its verdict. A category, not a count: it is named even below K people, but never counted, and accounts
    nobody vouches for cannot choose it."""
    rows = (
        reports.exclude(script="")
        .values("script")
        .annotate(people=Count("contributor", distinct=True))
        .order_by("-people", "script")[:1]
    )
    for row in rows:
        return {"script": row["script"], "label": dict(Script.choices).get(row["script"], row["script"])}
    return None


def brands_named(reports: QuerySet) -> list[dict]:
    """[{"slug", "brand", "reporters"}]: curated brands impersonated, each named by at least K proven people,
    with its name in the active language. What people typed is never shown (anyone could type a name, an
    insult or a phishing address): only brands of the officers' curated list."""
    people = defaultdict(set)
    for slug, contributor in reports.filter(curated_brand__isnull=False).values_list("curated_brand", "contributor"):
        people[slug].add(contributor)
    names = {brand.slug: brand.name for brand in Brand.objects.filter(slug__in=list(people))}
    rows = []
    for slug, contributors in people.items():
        published = people_count(contributors)
        if published:
            rows.append({"slug": slug, "brand": names[slug], "reporters": published})
    return sorted(rows, key=lambda row: (-row["reporters"], row["brand"]))


def breaches_targeted(number: CallerNumber) -> list[dict]:
    """[{"slug", "title", "reporters"}]: public breaches at least K of whose proven members reported the number
    for a contact on or after the day the breach happened (activity before a breach says nothing about it)."""
    last_contact: dict[int, object] = {}  # living proven reporters (erased ones are in no breach any more)
    for contributor, occurred_at in (
        proven_reports(number).filter(contributor__gt=0).values_list("contributor", "occurred_at")
    ):
        last_contact[contributor] = max(occurred_at.date(), last_contact.get(contributor, occurred_at.date()))
    if len(last_contact) < min_people():
        return []
    members = defaultdict(set)
    exposures = Exposure.objects.proven().filter(person_id__in=list(last_contact), breach__is_sensitive=False)
    for person_id, breach_id in exposures.values_list("person_id", "breach_id").distinct():
        members[breach_id].add(person_id)
    rows = []
    breaches = Breach.objects.filter(pk__in=list(members)).only("slug", "title_it", "title_en", "occurred_on")
    for breach in breaches:
        after = {p for p in members[breach.pk] if breach.occurred_on is None or last_contact[p] >= breach.occurred_on}
        published = people_count(after)
        if published:
            rows.append({"slug": breach.slug, "title": breach.title, "reporters": published})
    return sorted(rows, key=lambda row: (-row["reporters"], row["title"]))


def numbers_targeting_breach(breach: Breach) -> QuerySet:
    """Public numbers that at least K proven members of `breach` reported on or after the breach happened:
    what its blocklists hold (the rule of breaches_targeted(), seen from the breach)."""
    members = Exposure.objects.proven().filter(breach=breach).values("person")
    reports = ContactReport.objects.visible().filter(reporter__in=members, caller__is_public=True)
    if breach.occurred_on:
        reports = reports.filter(occurred_at__date__gte=breach.occurred_on)
    linked = (
        reports.values("caller")
        .annotate(reporters=Count("reporter", distinct=True))
        .filter(reporters__gte=min_people())
        .values("caller")
    )
    return CallerNumber.objects.public().filter(pk__in=linked).order_by("-last_seen", "e164")


def with_published_reporters(numbers) -> list[CallerNumber]:
    """The numbers, each with `published_reporters` (None below K proven people) and `published_confidence`, in
    one read of the rollups."""
    numbers = list(numbers)
    totals = _released_totals([n.pk for n in numbers])
    for number in numbers:
        number.published_reporters = totals[number.pk]["reporters"]
        number.published_confidence = published_confidence(number, number.published_reporters)
    return numbers
