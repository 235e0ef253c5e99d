"""The statistics that link a surge of contacts to a breach: pure functions on counts (numpy/scipy, no Django).

Notation used in the docstrings (they feed /methods/): a *rate* is contacts per person-day; x, T are a group's
contacts and person-days; members are the people with a proven exposure to the breach, controls the registered
people with none. Every interval is two-sided at `confidence` (95% unless told).

Campaign grouping, what the callers knew and the silent-call rules are in `conduct.py` and re-exported here, so
the whole interface of LINKAGE_INTERFACE.md is importable from this module.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np
from scipy import stats as sps
from scipy.special import xlogy

from .conduct import (  # noqa: F401  (re-exported: part of this module's interface)
    Campaign,
    CampaignNumber,
    ContactEvent,
    caller_knowledge,
    group_campaigns,
    number_block,
    silent_call_conduct,
)

METHOD_VERSION = 1  # bump when a computation changes; stored results record it


@dataclass(frozen=True)
class Estimate:
    """A ratio with its interval; a part is None when it cannot be computed (or is infinite)."""

    estimate: float | None
    low: float | None
    high: float | None

    def as_dict(self) -> dict:
        return asdict(self)


NO_ESTIMATE = Estimate(None, None, None)


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def clopper_pearson(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact interval for a binomial proportion k/n: low = Beta⁻¹(a/2; k, n−k+1), high = Beta⁻¹(1−a/2; k+1, n−k),
    with a = 1 − confidence, low = 0 when k = 0 and high = 1 when k = n."""
    a = 1.0 - confidence
    low = 0.0 if k == 0 else float(sps.beta.ppf(a / 2, k, n - k + 1))
    high = 1.0 if k == n else float(sps.beta.ppf(1 - a / 2, k + 1, n - k))
    return low, high


def rate_ratio(
    events_a: int, person_days_a: float, events_b: int, person_days_b: float, confidence: float = 0.95
) -> Estimate:
    """Rate ratio RR = (x_a/T_a) / (x_b/T_b) with its exact interval by the conditional binomial method.

    Given the total N = x_a + x_b, x_a is binomial with π = RR·T_a / (RR·T_a + T_b). The Clopper-Pearson
    interval [π_L, π_U] on π = x_a/N maps to RR = π/(1−π) · T_b/T_a. All parts are None when either side has
    no person-days or there are no events at all; when x_b = 0 the estimate and the upper bound are infinite
    (None) and only the lower bound is given; when x_a = 0 the estimate and lower bound are 0.
    """
    if person_days_a <= 0 or person_days_b <= 0 or events_a + events_b <= 0:
        return NO_ESTIMATE
    n = int(events_a) + int(events_b)
    lo, hi = clopper_pearson(int(events_a), n, confidence)
    scale = person_days_b / person_days_a

    def to_ratio(pi: float) -> float | None:
        return None if pi >= 1.0 else pi / (1.0 - pi) * scale

    estimate = None if events_b == 0 else (events_a / person_days_a) / (events_b / person_days_b)
    return Estimate(estimate, to_ratio(lo), to_ratio(hi))


@dataclass(frozen=True)
class DidEstimate(Estimate):
    """The ratio of rate ratios (estimate/low/high) plus the absolute difference of differences, in contacts
    per 100 person-days, with its interval (difference, difference_low, difference_high)."""

    difference: float | None = None
    difference_low: float | None = None
    difference_high: float | None = None


def difference_in_differences(
    members_before: tuple[int, float],
    members_after: tuple[int, float],
    controls_before: tuple[int, float],
    controls_after: tuple[int, float],
    confidence: float = 0.95,
) -> DidEstimate:
    """Difference in differences of two groups' rates before and after the breach, each side (contacts, person-days).

    Ratio: DiD = (r_m1/r_m0) / (r_c1/r_c0), r = x/T; interval exp(log DiD ± z·se) with the Poisson (delta-method)
    variance se² = 1/x_m1 + 1/x_m0 + 1/x_c1 + 1/x_c0; None when any count or person-days is 0.
    Absolute: D = 100·[(r_m1 − r_m0) − (r_c1 − r_c0)] contacts per 100 person-days, interval D ± z·100·se with
    se² = x_m1/T_m1² + x_m0/T_m0² + x_c1/T_c1² + x_c0/T_c0² (Poisson variances; None when any person-days is 0).
    """
    z = float(sps.norm.ppf(0.5 + confidence / 2))
    cells = [members_after, members_before, controls_after, controls_before]
    if any(t <= 0 for _, t in cells):
        return DidEstimate(None, None, None)
    (xm1, tm1), (xm0, tm0), (xc1, tc1), (xc0, tc0) = cells
    r = [x / t for x, t in cells]
    diff = 100.0 * ((r[0] - r[1]) - (r[2] - r[3]))
    diff_se = 100.0 * math.sqrt(sum(x / t**2 for x, t in cells))
    diff_parts = {"difference": diff, "difference_low": diff - z * diff_se, "difference_high": diff + z * diff_se}
    if any(x <= 0 for x, _ in cells):
        return DidEstimate(None, None, None, **diff_parts)
    log_did = math.log(r[0] / r[1]) - math.log(r[2] / r[3])
    se = math.sqrt(1 / xm1 + 1 / xm0 + 1 / xc1 + 1 / xc0)
    return DidEstimate(math.exp(log_did), math.exp(log_did - z * se), math.exp(log_did + z * se), **diff_parts)


@dataclass(frozen=True)
class Onset:
    day: int  # index into the series where the higher rate begins
    low: int  # 95% interval on the index (parametric bootstrap, percentile)
    high: int
    rate_before: float
    rate_after: float
    p_value: float


def _upward_lr(counts: np.ndarray, exposure: np.ndarray, min_segment: int) -> np.ndarray:
    """Twice the log likelihood ratio of "rate changes upward at τ" against "one rate", for every admissible τ.

    For rows of `counts` (shape B×n) with the shared exposure e: with C_b, E_b the contacts and person-days before
    τ and C_a, E_a from τ on, 2·LR(τ) = 2·[C_b log(C_b/E_b) + C_a log(C_a/E_a) − C log(C/E)] (the −C terms and
    the log c! terms cancel); set to 0 where C_a/E_a ≤ C_b/E_b (only surges count). Columns are τ = min_segment …
    n − min_segment.
    """
    n = counts.shape[1]
    cc = np.cumsum(counts, axis=1, dtype=float)
    ce = np.cumsum(exposure)
    taus = np.arange(min_segment, n - min_segment + 1)
    cb, eb = cc[:, taus - 1], ce[taus - 1]
    total_c, total_e = cc[:, -1:], ce[-1]
    ca, ea = total_c - cb, total_e - eb
    lr = xlogy(cb, cb / eb) + xlogy(ca, ca / ea) - xlogy(total_c, total_c / total_e)
    return np.where(ca / ea > cb / eb, 2.0 * lr, 0.0)


def _kept_series(counts: Sequence[int], person_days: Sequence[float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    c = np.asarray(counts, dtype=float)
    e = np.asarray(person_days, dtype=float)
    if c.shape != e.shape or c.ndim != 1:
        raise ValueError("counts and person_days must be one-dimensional and of the same length")
    kept = np.flatnonzero(e > 0)
    return kept, c[kept], e[kept]


def surge_test(
    counts: Sequence[int], person_days: Sequence[float], *, min_segment: int = 7, seed: int = 0, n_boot: int = 999
) -> tuple[int | None, float]:
    """The most likely surge day (an index into the series, or None) and its p-value under "no change".

    τ̂ maximises S = max_τ 2·LR(τ) (see `_upward_lr`); days with no person-days are left out and the index mapped
    back. Under "no change", given the total C the counts are multinomial with shares e_t/E whatever the rate, so
    S is compared with `n_boot` such draws: p = (1 + #{S* ≥ S}) / (n_boot + 1), an exact Monte-Carlo test.
    p = 1 when there is nothing to test (no contacts, a series shorter than 2·min_segment, no upward change).
    """
    kept, c, e = _kept_series(counts, person_days)
    if min_segment < 1 or len(c) < 2 * min_segment or c.sum() <= 0:
        return None, 1.0
    observed = _upward_lr(c[None, :], e, min_segment)[0]
    stat = float(observed.max())
    if stat <= 0:
        return None, 1.0
    null = np.random.default_rng(seed).multinomial(int(c.sum()), e / e.sum(), size=n_boot)
    null_stats = _upward_lr(null, e, min_segment).max(axis=1)
    p_value = float((1 + np.count_nonzero(null_stats >= stat - 1e-9)) / (n_boot + 1))
    return int(kept[int(np.argmax(observed)) + min_segment]), p_value


def detect_onset(
    counts: Sequence[int],
    person_days: Sequence[float],
    *,
    alpha: float = 0.01,
    min_segment: int = 7,
    seed: int = 0,
    n_boot: int = 999,
) -> Onset | None:
    """The day a surge began in a daily series of contacts c_t over person-days e_t; None when no significant surge.

    Model: c_t ~ Poisson(r·e_t) with r = r₀ before the change τ and r₁ > r₀ from τ on, both segments at least
    `min_segment` days long. τ̂ and its p-value are `surge_test`'s; a surge is reported only when p < alpha, so
    over series without a surge at most a share alpha reports one. Interval: τ̂ re-estimated on `n_boot` series
    drawn from the fitted two-rate model (Poisson(r̂₀·e_t) before τ̂, Poisson(r̂₁·e_t) after); the 2.5% and 97.5%
    quantiles of those estimates, widened to contain τ̂.
    """
    day, p_value = surge_test(counts, person_days, min_segment=min_segment, seed=seed, n_boot=n_boot)
    if day is None or p_value >= alpha:
        return None
    kept, c, e = _kept_series(counts, person_days)
    n = len(c)
    tau = int(np.searchsorted(kept, day))
    rate_before = float(c[:tau].sum() / e[:tau].sum())
    rate_after = float(c[tau:].sum() / e[tau:].sum())
    means = np.where(np.arange(n) < tau, rate_before, rate_after) * e
    fitted = np.random.default_rng(seed + 1).poisson(means, size=(n_boot, n))
    taus = np.argmax(_upward_lr(fitted, e, min_segment), axis=1) + min_segment
    low = min(int(np.floor(np.quantile(taus, 0.025))), tau)
    high = max(int(np.ceil(np.quantile(taus, 0.975))), tau)
    return Onset(
        day=day,
        low=int(kept[low]),
        high=int(kept[high]),
        rate_before=rate_before,
        rate_after=rate_after,
        p_value=p_value,
    )


@dataclass(frozen=True)
class NumberTargets:
    key: str  # e164
    targets: int  # n distinct observed people it contacted
    member_targets: int  # k of them members of the breach
    member_share: float  # p: members' share of the people observed while the number was active


@dataclass(frozen=True)
class Attribution:
    key: str
    targets: int
    member_targets: int
    member_share: float
    lift: float | None
    p_value: float
    adjusted_p: float
    linked: bool


def holm(p_values: Sequence[float]) -> np.ndarray:
    """Holm's step-down adjustment: with p₍₁₎ ≤ … ≤ p₍m₎, adj₍i₎ = max_{j≤i} min(1, (m − j + 1)·p₍j₎)."""
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    if m == 0:
        return p
    order = np.argsort(p, kind="stable")
    stepped = np.minimum(1.0, (m - np.arange(m)) * p[order])
    adjusted = np.empty(m)
    adjusted[order] = np.maximum.accumulate(stepped)
    return adjusted


def attribute_numbers(
    rows: Sequence[NumberTargets], *, alpha: float = 0.001, min_targets: int = 3
) -> list[Attribution]:
    """Which caller numbers target the breach's members more than chance: one Attribution per row, same order.

    For a number with n distinct targets, k of them members, and p the members' share of the people observed
    while it was active: lift = (k/n)/p and p-value = P(X ≥ k) for X ~ Binomial(n, p) (a number calling observed
    people at random reaches members with probability p). Only numbers with n ≥ min_targets are tested; Holm's
    correction (`holm`) over those m numbers controls the chance of linking any chance number at alpha; linked
    when the adjusted p < alpha. Untested numbers get adjusted_p = 1 and are never linked.
    """
    n = np.array([r.targets for r in rows], dtype=int)
    k = np.array([r.member_targets for r in rows], dtype=int)
    share = np.clip(np.array([r.member_share for r in rows], dtype=float), 0.0, 1.0)
    p_values = np.where(n > 0, sps.binom.sf(k - 1, n, share), 1.0) if len(rows) else np.array([])
    tested = n >= min_targets
    adjusted = np.ones(len(rows))
    adjusted[tested] = holm(p_values[tested])
    out = []
    for i, r in enumerate(rows):
        lift = (r.member_targets / r.targets) / share[i] if r.targets > 0 and share[i] > 0 else None
        out.append(
            Attribution(
                key=r.key,
                targets=r.targets,
                member_targets=r.member_targets,
                member_share=r.member_share,
                lift=lift,
                p_value=float(p_values[i]),
                adjusted_p=float(adjusted[i]),
                linked=bool(tested[i] and adjusted[i] < alpha),
            )
        )
    return out


def min_targets_to_link(member_share: float, numbers_tested: int, alpha: float = 0.001) -> int | None:
    """The fewest targets, all of them members, that can link a number: the least n with p^n · m < alpha
    (Holm's first step); None when p is 0 or 1. Shows why n ≥ 3 is a floor, not a guarantee."""
    if not 0 < member_share < 1:
        return None
    return max(1, math.floor(math.log(alpha / max(numbers_tested, 1)) / math.log(member_share)) + 1)


def explain_overlap(
    exclusive_targets: Mapping[str, int],
    exclusive_share: Mapping[str, float],
    shared_targets: int,
    *,
    alpha: float = 0.001,
) -> str | None:
    """Which of the candidate breaches a number is linked to explains its targets, or None when undecided.

    Only the people exclusive to one candidate tell the breaches apart (people in several of them are expected
    under every candidate, so `shared_targets` does not weigh). With e_X the number's targets exclusive to X,
    E = Σ e_X and q_X the weight of X's exclusive people among the observed (any common denominator): under
    "the number reaches the exclusive people of all candidates alike", e_X ~ Binomial(E, q_X / Σ q). X explains
    the targets when P(≥ e_X) < alpha for X and for no other candidate. With a single candidate, it explains.
    """
    keys = sorted(exclusive_targets)
    if len(keys) == 1:
        return keys[0]
    total = sum(int(exclusive_targets[k]) for k in keys)
    weight = sum(max(float(exclusive_share.get(k, 0.0)), 0.0) for k in keys)
    if total <= 0 or weight <= 0:
        return None
    passing = [
        k
        for k in keys
        if sps.binom.sf(int(exclusive_targets[k]) - 1, total, max(float(exclusive_share.get(k, 0.0)), 0.0) / weight)
        < alpha
    ]
    return passing[0] if len(passing) == 1 else None


def _observed_prefix(ws: np.ndarray, we: np.ndarray, horizon: int) -> np.ndarray:
    """prefix[t] = person-days observed on days before t (Σ over people of |[ws, we) ∩ [0, t)|)."""
    change = np.bincount(np.clip(ws, 0, horizon), minlength=horizon + 1).astype(float)
    change -= np.bincount(np.clip(we, 0, horizon), minlength=horizon + 1)
    return np.concatenate([[0.0], np.cumsum(np.cumsum(change)[:horizon])])


def number_targets(
    keys: Sequence[str],
    number: np.ndarray,
    person: np.ndarray,
    day: np.ndarray,
    window_start: np.ndarray,
    window_end: np.ndarray,
    is_member: np.ndarray,
    *,
    min_targets: int = 1,
) -> list[NumberTargets]:
    """NumberTargets from raw contacts: contact i is (number[i] indexing `keys`, person[i], day[i]).

    Only contacts inside the person's observation window [window_start, window_end) count. n is the number of
    distinct people (one person reporting a number a thousand times is one target); k those who are members;
    p = Σ_members d_j / Σ_all d_j where d_j is person j's observed days inside the number's active span (first to
    last observed contact), i.e. the members' share of the people observed while the number was active, weighted
    by how long each was observed. Rows only for numbers with n ≥ min_targets.
    """
    number, person, day = (np.asarray(a, dtype=np.int64) for a in (number, person, day))
    ws = np.asarray(window_start, dtype=np.int64)
    we = np.maximum(np.asarray(window_end, dtype=np.int64), ws)  # no window: an empty one
    member = np.asarray(is_member, dtype=bool)
    seen = (day >= ws[person]) & (day < we[person])
    number, person, day = number[seen], person[seen], day[seen]
    if len(number) == 0:
        return []
    pair = np.unique(number * len(ws) + person)  # one entry per (number, person): people, not reports
    pair_number = pair // len(ws)
    pair_person = pair % len(ws)
    n = np.bincount(pair_number, minlength=len(keys))
    k = np.bincount(pair_number, weights=member[pair_person], minlength=len(keys)).astype(int)
    first = np.full(len(keys), np.iinfo(np.int64).max)
    last = np.full(len(keys), -1)
    np.minimum.at(first, number, day)
    np.maximum.at(last, number, day)
    chosen = np.flatnonzero(n >= max(min_targets, 1))
    # Σ_j |window_j ∩ [first, last]| = observed people summed over the span's days: two prefix-sum look-ups.
    horizon = int(max(we.max(initial=0), day.max() + 1))
    everybody = _observed_prefix(ws, we, horizon)
    members = _observed_prefix(ws[member], we[member], horizon)
    lo, hi = first[chosen], last[chosen] + 1
    total = everybody[hi] - everybody[lo]
    member_days = members[hi] - members[lo]
    share = np.divide(member_days, total, out=np.zeros_like(total), where=total > 0)
    rows = [
        NumberTargets(key=keys[j], targets=int(n[j]), member_targets=int(k[j]), member_share=float(sh))
        for j, sh in zip(chosen, share, strict=True)
    ]
    return rows


def overlap_inputs(
    target_people: np.ndarray, memberships: Mapping[str, np.ndarray], weights: np.ndarray | None = None
) -> tuple[dict[str, int], dict[str, float], int]:
    """The inputs of `explain_overlap` for one number: (exclusive_targets, exclusive_share, shared_targets).

    `memberships` maps each candidate breach to a boolean array over people; `weights` (default 1 each) are the
    people's observed days while the number was active. A person is exclusive to X when in X and in no other
    candidate; exclusive_share[X] = Σ weights of X's exclusive people / Σ weights of everybody.
    """
    keys = list(memberships)
    stacked = np.vstack([np.asarray(memberships[k], dtype=bool) for k in keys])
    w = np.ones(stacked.shape[1]) if weights is None else np.asarray(weights, dtype=float)
    in_count = stacked.sum(axis=0)
    targets = np.unique(np.asarray(target_people, dtype=np.int64))
    exclusive = {k: int(np.count_nonzero(stacked[i, targets] & (in_count[targets] == 1))) for i, k in enumerate(keys)}
    total = float(w.sum()) or 1.0
    share = {k: float(w[stacked[i] & (in_count == 1)].sum() / total) for i, k in enumerate(keys)}
    return exclusive, share, int(np.count_nonzero(in_count[targets] >= 2))
