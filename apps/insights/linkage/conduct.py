"""Campaigns, what the callers knew and the callers' conduct on silent calls: pure functions (no Django).

Re-exported by `stats`, where LINKAGE_INTERFACE.md places them; kept here so each file stays short.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

# Voice channels of apps.reports.models.Channel: the contacts that count as answered calls for the silent-call rules.
CALL_CHANNELS = frozenset({"call", "silent_call", "robocall"})
SILENT_CHANNEL = "silent_call"
MAX_SILENT_SECONDS = 3  # the line must drop within 3 s of the answer
MAX_SILENT_PER_100 = 3  # at most 3 silent calls per 100 answered calls of a campaign
NO_RECALL_AFTER_SILENT = timedelta(days=5)  # nobody called again by the campaign for 5 days after a silent call


@dataclass(frozen=True)
class CampaignNumber:
    e164: str
    block: str
    scripts: frozenset[str]
    first_seen: date
    last_seen: date
    country: str
    carrier: str
    line_type: str
    channels: frozenset[str]


@dataclass(frozen=True)
class Campaign:
    block: str
    numbers: list[str]
    scripts: list[str]
    countries: list[str]
    carriers: list[str]
    line_types: list[str]
    channels: list[str]
    first_seen: date
    last_seen: date


def number_block(e164: str) -> str:
    """The number's block: its E.164 form without the last 2 digits (+390612345678 → +3906123456), where
    operators lease consecutive numbers to one customer."""
    return e164[:-2] if len(e164) > 3 else e164


def group_campaigns(numbers: Sequence[CampaignNumber], *, gap_days: int = 0) -> list[Campaign]:
    """Linked numbers grouped into campaigns: two numbers are joined when they share a block, at least one script
    and overlapping activity ([first_seen, last_seen] intervals that meet, allowing `gap_days` between them);
    campaigns are the connected groups (union-find), so a chain of such pairs is one campaign. A number with no
    known script (silent calls say nothing) stands for what it does instead, its channels: two silent-call
    numbers of one block active together are one campaign, but it never joins a number by its script alone.
    Sorted by first activity, then block."""
    parent = list(range(len(numbers)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    gap = timedelta(days=gap_days)
    by_block: dict[str, list[int]] = defaultdict(list)
    for i, n in enumerate(numbers):
        by_block[n.block].append(i)
    conduct = [n.scripts or frozenset(f"channel:{c}" for c in n.channels) for n in numbers]
    for members in by_block.values():
        for x, i in enumerate(members):
            a = numbers[i]
            for j in members[x + 1 :]:
                b = numbers[j]
                if conduct[i] & conduct[j] and a.first_seen <= b.last_seen + gap and b.first_seen <= a.last_seen + gap:
                    parent[find(i)] = find(j)
    groups: dict[int, list[CampaignNumber]] = defaultdict(list)
    for i, n in enumerate(numbers):
        groups[find(i)].append(n)
    campaigns = [
        Campaign(
            block=g[0].block,
            numbers=sorted(n.e164 for n in g),
            scripts=sorted(set().union(*(n.scripts for n in g))),
            countries=sorted({n.country for n in g if n.country}),
            carriers=sorted({n.carrier for n in g if n.carrier}),
            line_types=sorted({n.line_type for n in g if n.line_type}),
            channels=sorted(set().union(*(n.channels for n in g))),
            first_seen=min(n.first_seen for n in g),
            last_seen=max(n.last_seen for n in g),
        )
        for g in groups.values()
    ]
    return sorted(campaigns, key=lambda c: (c.first_seen, c.block))


def _share(count: int, total: int) -> float | None:
    return count / total if total else None


def caller_knowledge(
    contacts: Sequence[frozenset[str]],
    exposed: frozenset[str],
    *,
    reporters: Sequence[int] | None = None,
    people: dict | None = None,
) -> dict:
    """What the callers knew, one set of data categories per contact.

    For each category c: count_c = contacts whose caller knew c, share_c = count_c / N over all N contacts, and
    whether c is among the breach's exposed categories. `within_exposed`: contacts whose caller knew something
    (W of them) and whose known categories are all exposed by the breach; its share is over W. `beyond_exposed`
    counts the others among W (the caller knew something this breach did not hold). Shares are None when their
    denominator is 0.

    Given `reporters` (the person of each contact, same order), `people` is filled with the distinct people
    behind each count: {"contacts", "with_knowledge", "within_exposed", "beyond_exposed", "category:<c>"} ->
    set of person ids, which the release layer needs to publish a count (apps.insights.linkage.published).
    """
    total = len(contacts)
    counts: dict[str, int] = defaultdict(int)
    knowing = within = 0
    who: dict = {} if people is None else people
    for i, known in enumerate(contacts):
        person = reporters[i] if reporters is not None else None
        for category in known:
            counts[category] += 1
            who.setdefault(f"category:{category}", set()).add(person)
        who.setdefault("contacts", set()).add(person)
        if known:
            knowing += 1
            within += known <= exposed
            who.setdefault("with_knowledge", set()).add(person)
            who.setdefault("within_exposed" if known <= exposed else "beyond_exposed", set()).add(person)
    return {
        "contacts": total,
        "with_knowledge": knowing,
        "with_knowledge_share": _share(knowing, total),
        "categories": {
            c: {"count": n, "share": _share(n, total), "exposed": c in exposed} for c, n in sorted(counts.items())
        },
        "within_exposed": within,
        "within_exposed_share": _share(within, knowing),
        "beyond_exposed": knowing - within,
    }


@dataclass(frozen=True)
class ContactEvent:  # for the silent-call order of the Garante, 20 February 2014
    person: int
    campaign: str | None
    occurred_at: datetime
    channel: str
    silent_seconds: int | None
    background_noise: bool | None


# What silent_call_conduct() counts per campaign and in total (besides "contacts").
CONDUCT_COUNTS = (
    "calls",
    "silent_calls",
    "silent_without_noise",
    "silent_noise_unknown",
    "not_dropped_within_3s",
    "called_again_within_5_days",
    "people_called_again",
)


def _empty_counts() -> dict:
    return dict.fromkeys(("contacts", *CONDUCT_COUNTS), 0)


def silent_call_conduct(events: Sequence[ContactEvent], *, people: dict | None = None) -> dict:
    """The callers' conduct against the Garante's general order on silent calls of 20 February 2014, per campaign
    and in total.

    A silent call is a contact on the `silent_call` channel; calls are contacts on a voice channel (call,
    silent_call, robocall), the answered calls the order counts. Counted: silent calls with no background noise
    (background_noise False; unknown counted apart); silent lines not dropped within 3 s (silent_seconds > 3);
    per campaign, silent calls per 100 calls = 100·silent/calls and whether it is over 3; and the calls of a
    campaign to a person in the 5 days after that campaign's silent call to them (0 < Δt ≤ 5·24 h; each repeated
    call counted once, and the people it happened to). Events without a campaign count in the total's silent-call
    figures only (no campaign to measure a rate or a repeat against).

    `people`, when given, is filled with the distinct people behind each count: {None (the total) or campaign:
    {count name: set of person ids}}, which the release layer needs to publish a count.
    """
    total = _empty_counts()
    per: dict[str, dict] = defaultdict(_empty_counts)
    calls_by: dict[tuple[str, int], list[ContactEvent]] = defaultdict(list)
    who: dict = {} if people is None else people
    for ev in events:
        rows = [(None, total)] + ([(ev.campaign, per[ev.campaign])] if ev.campaign is not None else [])
        is_call = ev.channel in CALL_CHANNELS
        silent = ev.channel == SILENT_CHANNEL
        for name, row in rows:
            counted = {
                "contacts": True,
                "calls": is_call,
                "silent_calls": silent,
                "silent_without_noise": silent and ev.background_noise is False,
                "silent_noise_unknown": silent and ev.background_noise is None,
                "not_dropped_within_3s": silent and (ev.silent_seconds or 0) > MAX_SILENT_SECONDS,
            }
            for counter, yes in counted.items():
                if yes:
                    row[counter] += 1
                    who.setdefault(name, defaultdict(set))[counter].add(ev.person)
        if is_call and ev.campaign is not None:
            calls_by[(ev.campaign, ev.person)].append(ev)
    for (campaign, person), calls in calls_by.items():
        calls.sort(key=lambda e: e.occurred_at)
        repeated = 0
        last_silent: datetime | None = None
        for ev in calls:
            if last_silent is not None and timedelta(0) < ev.occurred_at - last_silent <= NO_RECALL_AFTER_SILENT:
                repeated += 1
            if ev.channel == SILENT_CHANNEL:
                last_silent = ev.occurred_at
        if repeated:
            for name, row in ((campaign, per[campaign]), (None, total)):
                row["called_again_within_5_days"] += repeated
                row["people_called_again"] += 1
                for counter in ("called_again_within_5_days", "people_called_again"):
                    who.setdefault(name, defaultdict(set))[counter].add(person)
    for row in per.values():
        rate = 100.0 * row["silent_calls"] / row["calls"] if row["calls"] else None
        row["silent_per_100_calls"] = rate
        row["over_3_per_100"] = rate is not None and rate > MAX_SILENT_PER_100
    total["campaigns_over_3_per_100"] = sum(row["over_3_per_100"] for row in per.values())
    return {"total": total, "campaigns": dict(sorted(per.items())), "order": "Garante, 20 February 2014"}
