"""What a caller number's public page, its API answer and the breach blocklists publish: every count released.

The same rule as every other figure (apps/insights/release.py): only proven people count (those the national
scope of the statistics holds: apps/insights/scopes.py), a count of fewer than K people is not published, and
every other count is perturbed consistently, with the cell key of the very people it counts, so that a
number's page agrees with the statistics pages and a count that moves by one person moves by an unknowable
amount. A breach is named only when its stored evidence links the number (apps/insights/linkage/published.py).
"""

from collections import defaultdict

from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.utils import translation

from apps.breaches.models import Breach
from apps.insights.linkage.published import PUBLIC, published_evidence
from apps.insights.models import ALL_TIME, ANY, BreachEvidence, ContributorScope, NumberRollup
from apps.insights.release import min_people, people_count, release
from apps.insights.scopes import scope_for
from apps.reports import scoring
from apps.reports.models import Brand, CallerNumber, Channel, ContactReport, Script

BREAKDOWN_CACHE_SECONDS = 3600
BLOCK_MIN_NUMBERS = 2  # a campaign's block goes into the CSV blocklist once it owns this many public numbers of it


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
    as published; cached until the number's counters are next refreshed or any breach's evidence recomputed."""
    stamp = number.refreshed_at.timestamp() if number.refreshed_at else 0
    evidence = BreachEvidence.objects.aggregate(at=Max("computed_at"))["at"]  # the breaches it names change with it
    evidence_stamp = evidence.timestamp() if evidence else 0
    key = (  # labels are translated: one entry per language
        f"reports:breakdown:{number.pk}:{stamp}:{evidence_stamp}:{min_people()}:{translation.get_language()}"
    )
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
            "min_people": min_people(),
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


def _published_links(e164: str) -> list[tuple[Breach, dict]]:
    """(public breach, the number's row in its published evidence) for every public breach whose stored evidence
    links the number (apps.insights.linkage.published: only public numbers are named, counts released, and
    nothing when the breach's members or controls are fewer than K). The evidence counts only contacts from
    the day each breach occurred, so activity that predates a breach never links to it."""
    links = []
    stored = BreachEvidence.objects.filter(breach__is_sensitive=False).select_related("breach")
    for evidence in stored.order_by("breach__slug"):
        if not any(row.get("e164") == e164 for row in evidence.result.get("linked_numbers") or []):
            continue  # the cheap test first: most breaches do not link this number
        for row in published_evidence(evidence, PUBLIC)["linked_numbers"]:
            if row["e164"] == e164:
                links.append((evidence.breach, row))
    return links


def breaches_targeted(number: CallerNumber) -> list[dict]:
    """[{"slug", "title", "reporters"}]: the public breaches whose stored evidence links the number and says
    this breach explains its targets; a breach whose evidence is undecided between overlapping breaches is named
    only when no other breach's evidence claims the number. "reporters": the breach's members among the
    number's targets, released (None below K)."""
    links = _published_links(number.e164)
    claimed = any(row["explained_by"] == "this" for _, row in links)
    rows = [
        {"slug": breach.slug, "title": breach.title, "reporters": row["member_targets"]}
        for breach, row in links
        if row["explained_by"] == "this" or (row["explained_by"] == "undecided" and not claimed)
    ]
    return sorted(rows, key=lambda row: (-(row["reporters"] or 0), row["title"]))


def _published_breach_evidence(breach: Breach) -> dict:
    return published_evidence(BreachEvidence.objects.filter(breach=breach).first(), PUBLIC)


def numbers_targeting_breach(breach: Breach) -> QuerySet:
    """The public numbers the breach's stored evidence links to it (whichever breach explains them: each one
    reaches this breach's people far more than chance): what its blocklists hold."""
    linked = [row["e164"] for row in _published_breach_evidence(breach)["linked_numbers"]]
    return CallerNumber.objects.public().filter(e164__in=linked).order_by("-last_seen", "e164")


def blocks_targeting_breach(breach: Breach) -> list[dict]:
    """[{"block", "numbers", "countries", "first_seen", "last_seen"}]: the number blocks of the breach's
    published campaigns that own at least 2 public numbers of the block, for the CSV blocklist as prefixes (a
    campaign rotates through its block; a single number says nothing about its neighbours)."""
    return [
        {key: campaign[key] for key in ("block", "numbers", "countries", "first_seen", "last_seen")}
        for campaign in _published_breach_evidence(breach)["campaigns"]
        if len(campaign["numbers"]) >= BLOCK_MIN_NUMBERS
    ]


def with_published_reporters(numbers) -> list[CallerNumber]:
    """The numbers, each with `published_reporters` (None below K proven people) and `published_confidence`, in
    one read of the rollups."""
    numbers = list(numbers)
    totals = _released_totals([n.pk for n in numbers])
    for number in numbers:
        number.published_reporters = totals[number.pk]["reporters"]
        number.published_confidence = published_confidence(number, number.published_reporters)
    return numbers
