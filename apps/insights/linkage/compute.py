"""The evidence linking a surge of contacts to one breach: gather.py's inputs through stats.py, as plain JSON.

compute_evidence() never raises on thin data: each figure it cannot compute honestly is null, and
`not_enough_data` lists why (a code, the English sentence and its parameters; pages translate the code). These
are the exact figures, for officers: anything shown to others goes through the release layer.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from apps.breaches.models import Breach
from apps.insights.keys import cell_key_of, record_keys
from apps.insights.linkage import gather as g
from apps.insights.linkage import stats
from apps.insights.perturbation import KEY_SPACE, min_people

BASELINE_DAYS = 180  # a default period starts this long before the breach, to see the rate before it
ONSET_ALPHA = 0.01
LINK_ALPHA = 0.001
MIN_TARGETS = 3

REASONS = {
    "breach_in_future": _("The breach's date is in the future: there is nothing to compare yet."),
    "empty_period": _("The period ends before it starts."),
    "no_dataset": _(
        "No dataset has been imported for this breach and fewer than %(needed)s people are proven members."
    ),
    "few_members": _("Fewer than %(needed)s proven members (%(members)s) are observed in the period."),
    "no_window": _(
        "%(count)s proven members have no observation window in the period (they began reporting after it)."
    ),
    "few_controls": _(
        "Fewer than %(needed)s people outside the breach (%(controls)s) are observed: no comparison with them."
    ),
    "no_reports": _("The members reported no contact in the period."),
    "no_time_before": _("No member was observed before the breach: no comparison with the time before it."),
    "not_disclosed": _("The breach has no disclosure date: no comparison around it."),
    "no_time_after": _("The period ends before the breach: nothing to compare after it."),
}  # fmt: skip


def default_period(breach: Breach, *, start: date | None = None, end: date | None = None) -> g.Period:
    """From BASELINE_DAYS before the breach (or `start`) to yesterday (or `end`, at most yesterday): whole days."""
    yesterday = timezone.localdate() - timedelta(days=1)
    end = min(end or yesterday, yesterday)
    return g.Period(start=start or breach.occurred_on - timedelta(days=BASELINE_DAYS), end=end)


def compute_evidence(breach: Breach, *, start: date | None = None, end: date | None = None) -> dict:
    """Every figure of the evidence for `breach` over the period (default_period()), as JSON-ready data."""
    period = default_period(breach, start=start, end=end)
    result = _empty(breach, period)
    reasons = result["not_enough_data"]
    with translation.override("en"):
        if breach.occurred_on > timezone.localdate():
            _reason(reasons, "breach_in_future")
            return result
        if period.start > period.end:
            _reason(reasons, "empty_period")
            return result
        inputs = g.gather(breach, period)
        _describe_inputs(result, inputs)
        needed = min_people()
        if inputs.members.without_window:
            _reason(reasons, "no_window", count=inputs.members.without_window)
        if inputs.members.people < needed:
            proven = inputs.members.people + inputs.members.without_window
            if proven < needed and not breach.exposed_identifiers.exists():
                _reason(reasons, "no_dataset", needed=needed)
            else:
                _reason(reasons, "few_members", needed=needed, members=inputs.members.people)
            return result
        if not inputs.member_daily.contacts.any():
            _reason(reasons, "no_reports")
            return result
        _surge(result, inputs, needed)
        _numbers(result, inputs)
    return result


def _empty(breach: Breach, period: g.Period) -> dict:
    return {
        "breach": breach.slug,
        "method_version": stats.METHOD_VERSION,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat(), "days": max(period.days, 0)},
        "dates": {
            "occurred": breach.occurred_on.isoformat(),
            "discovered": _iso(breach.discovered_on),
            "disclosed": _iso(breach.disclosed_on),
        },
        "inputs": {"first_report": None, "last_report": None, "reports": 0, "reports_in_windows": 0},
        "members": {"people": 0, "without_window": 0, "person_days": 0.0, "contacts": 0, "reports": 0},
        "controls": {"people": 0, "without_window": 0, "person_days": 0.0, "contacts": 0, "reports": 0},
        "max_contacts_per_person_day": g.MAX_CONTACTS_PER_PERSON_DAY,
        "rate_ratio_vs_controls": None,
        "rate_ratio_vs_before": None,
        "rate_ratio_vs_before_disclosed": None,
        "did": None,
        "onset": None,
        "daily": None,
        "numbers_tested": 0,
        "linked_numbers": [],
        "campaigns": [],
        "caller_knowledge": None,
        "conduct": None,
        "not_enough_data": [],
        # [people, cell key] of each count, for the release layer only (apps.insights.linkage.published).
        "release": {"members": None, "controls": None, "numbers": {}, "campaigns": {}, "caller_knowledge": {},
                    "conduct": {}},
    }  # fmt: skip


def _reason(reasons: list, code: str, **params) -> None:
    reasons.append({"code": code, "message": str(REASONS[code]) % params if params else str(REASONS[code]),
                    "params": params})  # fmt: skip


def _describe_inputs(result: dict, inputs: g.Inputs) -> None:
    for key, group, days, reports in (
        ("members", inputs.members, inputs.member_daily, inputs.member_reports),
        ("controls", inputs.controls, inputs.control_daily, inputs.control_reports),
    ):
        result[key] = {
            "people": group.people,
            "without_window": group.without_window,
            "person_days": float(days.person_days.sum()),
            "contacts": int(days.contacts.sum()),
            "reports": reports,
        }
    result["controls"]["excluding_people_of"] = inputs.excluded_breaches
    result["release"]["members"] = _people_key(inputs.members.person_ids)
    result["release"]["controls"] = _people_key(inputs.controls.person_ids)
    result["inputs"] = {
        "first_report": _iso(inputs.first_report),
        "last_report": _iso(inputs.last_report),
        "reports": inputs.member_reports + inputs.control_reports,
        "reports_in_windows": inputs.member_daily.contacts_uncapped + inputs.control_daily.contacts_uncapped,
    }


def _ratio(estimate, a: tuple[int, float], b: tuple[int, float]) -> dict:
    return {**estimate.as_dict(), "contacts": [a[0], b[0]], "person_days": [a[1], b[1]]}


def _surge(result: dict, inputs: g.Inputs, needed: int) -> None:
    """Rate ratios around the breach's occurrence (and disclosure), difference in differences, the onset."""
    breach, period, reasons = inputs.breach, inputs.period, result["not_enough_data"]
    members, controls = inputs.member_daily, inputs.control_daily
    split = period.index(breach.occurred_on)
    after, before = members.between(split, period.days), members.between(0, split)
    if after[1] <= 0:
        _reason(reasons, "no_time_after")
    enough_controls = inputs.controls.people >= needed
    if not enough_controls:
        _reason(reasons, "few_controls", needed=needed, controls=inputs.controls.people)
    elif after[1] > 0:
        controls_after = controls.between(split, period.days)
        result["rate_ratio_vs_controls"] = _ratio(stats.rate_ratio(*after, *controls_after), after, controls_after)
    if before[1] <= 0:
        _reason(reasons, "no_time_before")
    elif after[1] > 0:
        result["rate_ratio_vs_before"] = _ratio(stats.rate_ratio(*after, *before), after, before)
        if enough_controls:
            did = stats.difference_in_differences(
                before, after, controls.between(0, split), controls.between(split, period.days)
            )
            result["did"] = did.as_dict()
    if breach.disclosed_on is None:
        _reason(reasons, "not_disclosed")
    else:
        told = period.index(breach.disclosed_on)
        after_told, before_told = members.between(told, period.days), members.between(0, told)
        if after_told[1] > 0 and before_told[1] > 0:
            estimate = stats.rate_ratio(*after_told, *before_told)
            result["rate_ratio_vs_before_disclosed"] = _ratio(estimate, after_told, before_told)
    result["daily"] = {
        "members": {"contacts": members.contacts.tolist(), "person_days": members.person_days.tolist()},
        "controls": {"contacts": controls.contacts.tolist(), "person_days": controls.person_days.tolist()},
    }
    onset = stats.detect_onset(members.contacts.tolist(), members.person_days.tolist(), alpha=ONSET_ALPHA)
    if onset is not None:
        day = period.day(onset.day)
        result["onset"] = {
            "date": day.isoformat(),
            "low": period.day(onset.low).isoformat(),
            "high": period.day(onset.high).isoformat(),
            "rate_before": onset.rate_before,
            "rate_after": onset.rate_after,
            "p_value": onset.p_value,
            "lag_from_occurred_days": (day - breach.occurred_on).days,
            "lag_from_discovered_days": (day - breach.discovered_on).days if breach.discovered_on else None,
            "lag_from_disclosed_days": (day - breach.disclosed_on).days if breach.disclosed_on else None,
        }


def _numbers(result: dict, inputs: g.Inputs) -> None:
    """Numbers linked to the breach and which breach explains them, their campaigns, what callers knew, and
    the callers' conduct against the silent-call order."""
    contacts = g.number_contacts(inputs)
    window_end = np.full(len(inputs.people), inputs.period.days, dtype=np.int64)
    keys = [str(caller_id) for caller_id in contacts.caller_ids]
    rows = stats.number_targets(
        keys, contacts.number, contacts.person, contacts.day, inputs.window_start, window_end, inputs.is_member,
        min_targets=MIN_TARGETS,
    )  # fmt: skip
    attributions = stats.attribute_numbers(rows, alpha=LINK_ALPHA, min_targets=MIN_TARGETS)
    result["numbers_tested"] = sum(1 for a in attributions if a.targets >= MIN_TARGETS)
    linked = [a for a in attributions if a.linked]
    caller_ids = [int(a.key) for a in linked]
    facts = g.number_facts(inputs, caller_ids)
    explained = _explained_by(inputs, contacts, linked, window_end)
    result["linked_numbers"] = sorted(
        (
            {
                "e164": facts[int(a.key)].e164,
                "targets": a.targets,
                "member_targets": a.member_targets,
                "member_share": a.member_share,
                "lift": a.lift,
                "p_value": a.p_value,
                "adjusted_p": a.adjusted_p,
                "explained_by": explained[a.key],
            }
            for a in linked
        ),
        key=lambda row: (row["adjusted_p"], row["e164"]),
    )
    campaigns = stats.group_campaigns(
        [
            stats.CampaignNumber(
                e164=f.e164,
                block=stats.number_block(f.e164),
                scripts=f.scripts,
                first_seen=f.first_seen,
                last_seen=f.last_seen,
                country=f.country,
                carrier=f.carrier,
                line_type=f.line_type,
                channels=f.channels,
            )  # fmt: skip
            for f in facts.values()
        ]
    )
    campaign_of, labelled = {}, []
    for campaign in campaigns:
        label = (
            campaign.block
            if campaign.block not in labelled
            else f"{campaign.block}#{labelled.count(campaign.block) + 1}"
        )
        labelled.append(campaign.block)
        for e164 in campaign.numbers:
            campaign_of[e164] = label
        labelled_row = _campaign_dict(campaign)
        labelled_row["label"] = label
        result["campaigns"].append(labelled_row)
    exposed = frozenset(inputs.breach.data_categories or [])
    knew, reporters = g.members_caller_knew(inputs)
    knowledge_people: dict = {}
    result["caller_knowledge"] = stats.caller_knowledge(knew, exposed, reporters=reporters, people=knowledge_people)
    e164_of = {caller_id: f.e164 for caller_id, f in facts.items()}
    events = [
        stats.ContactEvent(
            person=e.person,
            campaign=campaign_of.get(e164_of.get(e.caller_id, "")),
            occurred_at=e.occurred_at,
            channel=e.channel,
            silent_seconds=e.silent_seconds,
            background_noise=e.background_noise,
        )  # fmt: skip
        for e in g.contact_events(inputs, caller_ids)
    ]
    conduct_people: dict = {}
    result["conduct"] = stats.silent_call_conduct(events, people=conduct_people)
    _release_keys(result, inputs, contacts, linked, facts, campaign_of, knowledge_people, conduct_people)


def _people_key(person_ids, known: dict[int, int] | None = None) -> list[int]:
    """[distinct people, cell key]: what the release layer needs to publish a count of these people's.

    `known` caches the people's record keys across calls: a breach's linked numbers share most of their
    targets, and one HMAC per person and count was most of the evidence's time (bench/linkage_evidence.py).
    The key is cell_key_of()'s: the sum of the record keys modulo KEY_SPACE."""
    ids = {int(p) for p in person_ids}
    if known is None:
        return [len(ids), cell_key_of(ids)]
    missing = [p for p in ids if p not in known]
    if missing:
        known.update(record_keys(missing))
    return [len(ids), sum(known[p] for p in ids) % KEY_SPACE]


def _release_keys(result, inputs, contacts, linked, facts, campaign_of, knowledge_people, conduct_people) -> None:
    """Store, next to each exact count, its people and their cell key (never the people themselves), so that a
    page can publish the count through the release layer without reading the reports again
    (apps.insights.linkage.published). Officers' views leave this part out."""
    release = result["release"]
    known: dict[int, int] = {}
    rows_of = _rows_of_numbers(contacts, linked)
    targets_of, by_campaign = {}, {}
    for attribution in linked:
        people = np.unique(contacts.person[rows_of[attribution.key]])
        e164 = facts[int(attribution.key)].e164
        targets_of[e164] = people
        release["numbers"][e164] = {
            "targets": _people_key(inputs.people[people], known),
            "member_targets": _people_key(inputs.people[people[inputs.is_member[people]]], known),
        }
        by_campaign.setdefault(campaign_of.get(e164), []).append(people)
    for label, groups in by_campaign.items():
        if label is not None:
            people = inputs.people[np.unique(np.concatenate(groups))]
            release["campaigns"][label] = {"targets": _people_key(people, known)}
    release["caller_knowledge"] = {name: _people_key(ids, known) for name, ids in knowledge_people.items()}
    release["conduct"] = {
        "total" if name is None else name: {counter: _people_key(ids, known) for counter, ids in counters.items()}
        for name, counters in conduct_people.items()
    }


def _rows_of_numbers(contacts: g.NumberContacts, linked) -> dict[str, np.ndarray]:
    """The contacts' row indexes of each linked number, from one sort (a comparison of every contact per
    linked number was seconds for a breach with a thousand linked numbers)."""
    number_of = {caller_id: i for i, caller_id in enumerate(contacts.caller_ids)}
    order = np.argsort(contacts.number, kind="stable")
    bounds = np.searchsorted(contacts.number[order], np.arange(len(contacts.caller_ids) + 1))
    return {a.key: order[bounds[number_of[int(a.key)]] : bounds[number_of[int(a.key)] + 1]] for a in linked}


def _explained_by(inputs: g.Inputs, contacts: g.NumberContacts, linked, window_end) -> dict[str, str | None]:
    """For each linked number, the breach whose exclusive people explain its targets: this one when no other
    breach holds enough of them, else stats.explain_overlap() on the people exclusive to each candidate."""
    slug = inputs.breach.slug
    masks = _rows_of_numbers(contacts, linked)
    targets = {key: np.unique(contacts.person[mask]) for key, mask in masks.items()}
    everyone = set(np.concatenate(list(targets.values())).tolist()) if targets else set()
    memberships = g.other_memberships(inputs, everyone, min_targets=MIN_TARGETS)
    explained = {}
    for attribution in linked:
        mask, people = masks[attribution.key], targets[attribution.key]
        others = {k: v for k, v in memberships.items() if np.count_nonzero(v[people]) >= MIN_TARGETS}
        if not others:
            explained[attribution.key] = slug
            continue
        first, last = int(contacts.day[mask].min()), int(contacts.day[mask].max())
        weights = np.clip(np.minimum(window_end, last + 1) - np.maximum(inputs.window_start, first), 0, None)
        exclusive, share, shared = stats.overlap_inputs(people, {slug: inputs.is_member, **others}, weights)
        explained[attribution.key] = stats.explain_overlap(exclusive, share, shared)
    return explained


def _campaign_dict(campaign) -> dict:
    return {
        "block": campaign.block,
        "numbers": list(campaign.numbers),
        "scripts": list(campaign.scripts),
        "countries": list(campaign.countries),
        "carriers": list(campaign.carriers),
        "line_types": list(campaign.line_types),
        "channels": list(campaign.channels),
        "first_seen": campaign.first_seen.isoformat(),
        "last_seen": campaign.last_seen.isoformat(),
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
