"""The evidence as pages, dashboards and the API publish it: the one function they all call.

The stored evidence (compute.py, BreachEvidence) holds the exact figures; officers see them as they are. For
everybody else each figure passes through the release layer (apps/insights/release.py), thinking of what a
member, HR or a visitor learns by combining it with every other published figure or by adding one report:

- nothing is shown unless members and controls each count at least K proven people (compute.py counts only
  proven people in both); otherwise the reasons, without the exact counts behind them;
- every count is published perturbed with the cell key of the people it counts (stored with it: compute.py
  `release`), so asking again gives the same figure and one more report moves it by an unknowable amount;
  ratios and intervals are computed from the published counts and the exact person-days, and rounded;
  p-values are shown as bounds ("≤ 0.001"), never as a float that moves with one report;
- only public numbers (enough reporters, never allowlisted) are named; the others are a count; a campaign is
  described only through its public numbers, and counted otherwise;
- which breach explains a number is told as this one / another one / undecided: another breach may be
  sensitive, and its name is never published.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils.translation import gettext_lazy as _

from apps.insights.linkage import stats
from apps.insights.models import BreachEvidence
from apps.insights.perturbation import min_people, publish_contacts, publish_people
from apps.reports.models import CallerNumber

OFFICER = "officer"
PUBLIC = "public"
ORGANISATION = "organisation"  # HR and unions: the same figures as the public, through the same layer
AUDIENCES = (PUBLIC, ORGANISATION, OFFICER)
DAYS_PER_MONTH = 30  # rates are shown as contacts per person per 30 days, which a reader can picture

# The reasons of compute.REASONS as the public reads them: the same codes, never the exact small counts.
PUBLIC_REASONS = {
    "breach_in_future": _("The breach's date is in the future: there is nothing to compare yet."),
    "empty_period": _("The period ends before it starts."),
    "no_dataset": _(
        "No dataset has been imported for this breach and fewer than %(needed)s people are proven members."
    ),
    "few_members": _("Fewer than %(needed)s proven members of this breach are observed, so nothing is shown."),
    "no_window": _("Some proven members began reporting after the period, so they are not observed in it."),
    "few_controls": _(
        "Fewer than %(needed)s people outside the breach are observed: there is nobody to compare with."
    ),
    "no_reports": _("The members reported no contact in the period."),
    "no_time_before": _("No member was observed before the breach: no comparison with the time before it."),
    "not_disclosed": _("The breach has no disclosure date: no comparison around it."),
    "no_time_after": _("The period ends before the breach: nothing to compare after it."),
    "not_computed": _("The evidence has not been computed yet."),
}  # fmt: skip
CAMPAIGN_FACTS = ("scripts", "countries", "carriers", "line_types", "channels")
BLOCKING = {"breach_in_future", "empty_period", "no_dataset", "few_members", "few_controls", "no_reports"}


def published_evidence(stored: BreachEvidence | dict | None, audience: str) -> dict:
    """The breach's evidence as `audience` may see it (OFFICER: the exact stored figures; PUBLIC and
    ORGANISATION: every figure released). None (never computed) gives the "not computed yet" answer."""
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}")
    if stored is None:
        return _not_shown({}, None, [{"code": "not_computed", "params": {}}])
    result, computed_at = (stored.result, stored.computed_at) if isinstance(stored, BreachEvidence) else (stored, None)
    if audience == OFFICER:
        exact = {k: v for k, v in result.items() if k != "release"}
        return {**exact, "computed_at": computed_at.isoformat() if computed_at else None, "shown": True}
    keys = result.get("release") or {}
    needed = min_people()
    members, controls = result["members"]["people"], result["controls"]["people"]
    reasons = [r for r in result.get("not_enough_data", []) if r.get("code") in PUBLIC_REASONS]
    if members < needed and not any(r["code"] in ("few_members", "no_dataset") for r in reasons):
        reasons.append({"code": "few_members", "params": {}})
    if controls < needed and not any(r["code"] == "few_controls" for r in reasons):
        reasons.append({"code": "few_controls", "params": {}})
    if members < needed or controls < needed or any(r["code"] in BLOCKING for r in reasons) or not keys:
        return _not_shown(result, computed_at, reasons)
    group = {"members": (members, keys["members"][1]), "controls": (controls, keys["controls"][1])}
    out = _header(result, computed_at)
    out.update(
        shown=True,
        not_enough_data=[_reason(r) for r in reasons],
        members=publish_people(members, keys["members"][1]),
        controls=publish_people(controls, keys["controls"][1]),
        rate_ratio_vs_controls=_ratio(result.get("rate_ratio_vs_controls"), group["members"], group["controls"]),
        rate_ratio_vs_before=_ratio(result.get("rate_ratio_vs_before"), group["members"], group["members"]),
        rate_ratio_vs_before_disclosed=_ratio(
            result.get("rate_ratio_vs_before_disclosed"), group["members"], group["members"]
        ),
        did=_did(result, group),
        onset=_onset(result.get("onset")),
    )
    out.update(_numbers_and_campaigns(result, keys))
    out["caller_knowledge"] = _knowledge(result.get("caller_knowledge"), keys.get("caller_knowledge", {}))
    return out


def _header(result: dict, computed_at: datetime | None) -> dict:
    return {
        "breach": result.get("breach"),
        "method_version": result.get("method_version"),
        "period": result.get("period"),
        "dates": result.get("dates"),
        "computed_at": computed_at.isoformat() if computed_at else None,
        "min_people": min_people(),
    }


def _not_shown(result: dict, computed_at, reasons: list[dict]) -> dict:
    return {
        **_header(result, computed_at),
        "shown": False,
        "not_enough_data": [_reason(r) for r in reasons],
        "members": None,
        "controls": None,
        "rate_ratio_vs_controls": None,
        "rate_ratio_vs_before": None,
        "rate_ratio_vs_before_disclosed": None,
        "did": None,
        "onset": None,
        "linked_numbers": [],
        "other_linked_numbers": None,
        "campaigns": [],
        "campaigns_not_described": 0,
        "caller_knowledge": None,
        "conduct": None,
    }


def _reason(reason: dict) -> dict:
    """{"code", "message"}: the public sentence, with K as its only parameter (never an exact small count)."""
    code = reason["code"]
    return {"code": code, "message": str(PUBLIC_REASONS[code]) % {"needed": min_people()}}


def p_value_text(p: float | None) -> str | None:
    """A p-value as a bound ("≤ 0.001", "≤ 0.01", "≤ 0.05", "> 0.05"): the exact float moves with one report."""
    if p is None:
        return None
    for bound in (0.001, 0.01, 0.05):
        if p <= bound:
            return f"≤ {bound:g}"
    return "> 0.05"


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def release_count(count: int, people: int, key: int) -> int | None:
    """A count of contacts made by (or among) `people` as published: 0 stays 0; None (hidden) when the people or
    the count itself are fewer than K (a handful of contacts among many people is a cell of a handful of
    people); else perturbed with the cell key of those people."""
    count, people = int(count), int(people)
    if count == 0:
        return 0
    if count < min_people() or people < min_people():
        return None
    return publish_contacts(count, people, int(key))


def _released_contacts(count: int, people_key: tuple[int, int]) -> int | None:
    return release_count(count, *people_key)


def _ratio(exact: dict | None, group_a: tuple[int, int], group_b: tuple[int, int]) -> dict | None:
    """A rate ratio recomputed on the published contacts of both sides and their exact person-days (which no
    count moves on its own), rounded to one decimal, with each side's rate per person per 30 days."""
    if not exact:
        return None
    (a, b), (ta, tb) = exact["contacts"], exact["person_days"]
    ra, rb = _released_contacts(a, group_a), _released_contacts(b, group_b)
    if ra is None or rb is None:
        return None
    estimate = stats.rate_ratio(ra, ta, rb, tb)
    return {
        "estimate": _round(estimate.estimate),
        "low": _round(estimate.low),
        "high": _round(estimate.high),
        "contacts": [ra, rb],
        "per_person_month": [_per_month(ra, ta), _per_month(rb, tb)],
    }


def _per_month(contacts: int, person_days: float) -> float | None:
    return _round(DAYS_PER_MONTH * contacts / person_days) if person_days else None


def _did(result: dict, group: dict) -> dict | None:
    """The difference in differences from the published counts of the two ratios it is made of."""
    vs_before, vs_controls = result.get("rate_ratio_vs_before"), result.get("rate_ratio_vs_controls")
    if not result.get("did") or not vs_before or not vs_controls:
        return None
    after, before = vs_before["contacts"]
    t_after, t_before = vs_before["person_days"]
    daily = result.get("daily") or {}
    controls_daily = daily.get("controls") or {}
    controls_after, t_controls_after = vs_controls["contacts"][1], vs_controls["person_days"][1]
    total_controls = sum(controls_daily.get("contacts") or [])
    total_t = float(sum(controls_daily.get("person_days") or []))
    controls_before, t_controls_before = total_controls - controls_after, total_t - t_controls_after
    counts = [
        _released_contacts(before, group["members"]),
        _released_contacts(after, group["members"]),
        _released_contacts(controls_before, group["controls"]),
        _released_contacts(controls_after, group["controls"]),
    ]
    if any(c is None for c in counts):
        return None
    did = stats.difference_in_differences(
        (counts[0], t_before), (counts[1], t_after), (counts[2], t_controls_before), (counts[3], t_controls_after)
    )
    return {
        "estimate": _round(did.estimate),
        "low": _round(did.low),
        "high": _round(did.high),
        "difference": _round(did.difference),
        "difference_low": _round(did.difference_low),
        "difference_high": _round(did.difference_high),
    }


def _onset(onset: dict | None) -> dict | None:
    if not onset:
        return None
    return {
        "date": onset["date"],
        "low": onset["low"],
        "high": onset["high"],
        "p_value": p_value_text(onset.get("p_value")),
        "lag_from_occurred_days": onset.get("lag_from_occurred_days"),
        "lag_from_discovered_days": onset.get("lag_from_discovered_days"),
        "lag_from_disclosed_days": onset.get("lag_from_disclosed_days"),
    }


def _people(entry) -> int | None:
    """A stored [people, cell key] as a published count of people (None below K)."""
    return publish_people(int(entry[0]), int(entry[1])) if entry else None


def public_numbers(e164s) -> dict[str, CallerNumber]:
    """The numbers among these that may be named: public (enough reporters) and never allowlisted."""
    rows = CallerNumber.objects.filter(e164__in=list(e164s), is_public=True, is_allowlisted=False)
    return {n.e164: n for n in rows.only("e164", "country", "carrier", "line_type")}


def _numbers_and_campaigns(result: dict, keys: dict) -> dict:
    linked = result.get("linked_numbers") or []
    named = public_numbers(row["e164"] for row in linked)
    number_keys = keys.get("numbers", {})
    rows, unnamed = [], []
    for row in linked:
        if row["e164"] not in named:
            unnamed.append(row)
            continue
        entry = number_keys.get(row["e164"], {})
        targets, member_targets = _people(entry.get("targets")), _people(entry.get("member_targets"))
        share = (member_targets / targets) if targets and member_targets is not None else None
        lift = share / row["member_share"] if share is not None and row.get("member_share") else None
        explained = row.get("explained_by")
        explained = "this" if explained == result.get("breach") else ("undecided" if explained is None else "other")
        rows.append(
            {
                "e164": row["e164"],
                "country": named[row["e164"]].country,
                "targets": targets,
                "member_targets": member_targets,
                "member_percent": None if share is None else round(100 * share),
                "lift": _round(lift),
                "p_value": p_value_text(row.get("adjusted_p")),
                "explained_by": explained,
            }
        )
    # In the order of what is published: the exact order of the people reached would rank figures that the
    # noise is there to blur.
    rows.sort(key=lambda r: (-(r["targets"] or 0), r["e164"]))
    out = {"linked_numbers": rows, "other_linked_numbers": _count_of_numbers(unnamed, number_keys)}
    campaigns, not_described = [], 0
    conduct_keys = keys.get("conduct", {})
    for campaign in result.get("campaigns") or []:
        numbers = [n for n in campaign["numbers"] if n in named]
        if not numbers:
            not_described += 1
            continue
        label = campaign.get("label", campaign["block"])
        exact_conduct = (result.get("conduct") or {}).get("campaigns", {}).get(label)
        campaigns.append(
            {
                "block": campaign["block"],
                "numbers": numbers,
                "targets": _people((keys.get("campaigns", {}).get(label) or {}).get("targets")),
                **{field: list(campaign[field]) for field in CAMPAIGN_FACTS},
                "first_seen": campaign["first_seen"],
                "last_seen": campaign["last_seen"],
                "conduct": _conduct_row(exact_conduct, conduct_keys.get(label, {})),
            }
        )
    out["campaigns"] = campaigns
    out["campaigns_not_described"] = not_described
    conduct = result.get("conduct")
    out["conduct"] = (
        {"total": _conduct_row(conduct.get("total"), conduct_keys.get("total", {})), "order": conduct.get("order")}
        if conduct
        else None
    )
    return out


def _count_of_numbers(rows: list[dict], number_keys: dict) -> int | None:
    """How many linked numbers are not public, as published: 0; the count perturbed when there are at least K
    of them and the people they reached are at least K (the largest of them bounds the union from below);
    else None ("some")."""
    if not rows:
        return 0
    entries = [number_keys.get(r["e164"], {}).get("targets") or [0, 0] for r in rows]
    reached = max(int(e[0]) for e in entries)
    key = sum(int(e[1]) for e in entries) % 2**32
    return publish_people(len(rows), key) if reached >= min_people() else None


PUBLISHED_CONDUCT = (  # conduct.CONDUCT_COUNTS, people_called_again apart (a count of people)
    "contacts",
    "calls",
    "silent_calls",
    "silent_without_noise",
    "not_dropped_within_3s",
    "called_again_within_5_days",
)


def _conduct_row(exact: dict | None, keys: dict) -> dict | None:
    """One row of the silent-call conduct as published: each count released by its own people, the rate per
    100 calls from the released counts."""
    if not exact:
        return None
    row = {}
    for name in PUBLISHED_CONDUCT:
        entry = keys.get(name)
        row[name] = 0 if not exact.get(name) else (release_count(exact[name], *entry) if entry else None)
    row["people_called_again"] = _people(keys.get("people_called_again")) if exact.get("people_called_again") else 0
    calls, silent = row["calls"], row["silent_calls"]
    rate = 100.0 * silent / calls if calls and silent is not None else None
    row["silent_per_100_calls"] = _round(rate)
    row["over_3_per_100"] = rate is not None and rate > 3
    return row


def _knowledge(exact: dict | None, keys: dict) -> dict | None:
    """What the callers knew, each count released by the people who reported it, shares of released counts."""
    if not exact or not exact.get("contacts"):
        return None

    def released(count: int, name: str) -> int | None:
        if not count:
            return 0
        entry = keys.get(name)
        return release_count(count, *entry) if entry else None

    contacts = released(exact["contacts"], "contacts")
    knowing = released(exact["with_knowledge"], "with_knowledge")
    within = released(exact["within_exposed"], "within_exposed")

    def percent(part, whole):
        return round(100 * part / whole) if part is not None and whole else None

    categories = []
    for category, row in exact.get("categories", {}).items():
        count = released(row["count"], f"category:{category}")
        if count:
            categories.append(
                {"category": category, "count": count, "percent": percent(count, contacts), "exposed": row["exposed"]}
            )
    categories.sort(key=lambda r: (-r["count"], r["category"]))
    return {
        "contacts": contacts,
        "with_knowledge": knowing,
        "with_knowledge_percent": percent(knowing, contacts),
        "within_exposed": within,
        "within_exposed_percent": percent(within, knowing),
        "categories": categories,
    }


def as_dates(published: dict) -> dict:
    """The published evidence with its dates as date objects, for templates."""
    out = dict(published)
    if out.get("onset"):
        out["onset"] = {**out["onset"], **{k: date.fromisoformat(out["onset"][k]) for k in ("date", "low", "high")}}
    out["campaigns"] = [
        {**c, "first_seen": date.fromisoformat(c["first_seen"]), "last_seen": date.fromisoformat(c["last_seen"])}
        for c in out.get("campaigns", [])
    ]
    if out.get("period"):
        out["period"] = {**out["period"], "start": date.fromisoformat(out["period"]["start"]),
                         "end": date.fromisoformat(out["period"]["end"])}  # fmt: skip
    if out.get("computed_at"):
        out["computed_at"] = datetime.fromisoformat(out["computed_at"])
    return out
