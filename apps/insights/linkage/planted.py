"""Seeded planted scenarios with known answers: the data the linkage statistics must recover (issue 11).

`plant(...)` builds one breach A with `breach_size` people of whom a fraction registers, plus registered people in
no breach (the controls) and a second breach B that holds many of A's registered people. Every registered person
is observed over one window [window_start, window_end) (from the sign-up day, or earlier for those who upload a
call log). Contacts are Poisson per observed person-day:
- background, rate `background_rate`, for everybody; each such contact comes from a *decoy* number (a caller that
  calls everybody) with probability `decoy_share`, else from a number of a large pool of one-off callers;
- the surge, rate `surge_rate`, for A's members from `onset_day` = breach_day + onset_lag on, each contact from
  one of A's campaign numbers (numbers in blocks, one block and script per campaign) that call members only;
- optionally the same for B (`surge_b_rate`, B's own campaigns), to plant a campaign on the overlapping breach.
`plant_silent_calls(...)` builds contact events of campaigns with a known number of breaches of the Garante's
silent-call rules (and near misses that are not breaches). Everything is plain numpy arrays and dataclasses, so
the tests feed it to `stats` and the Django side can write it into the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np

from . import stats
from .conduct import CONDUCT_COUNTS, ContactEvent

CAMPAIGN, CAMPAIGN_B, DECOY, NOISE = "campaign", "campaign_b", "decoy", "noise"


@dataclass(frozen=True)
class PlantedNumber:
    e164: str
    kind: str  # CAMPAIGN (targets A's members), CAMPAIGN_B (B's members), DECOY (everybody), NOISE (one-off)
    campaign: str | None  # campaign name for campaign numbers
    script: str | None


@dataclass
class Scenario:
    seed: int
    start: date  # the date of day index 0
    n_days: int
    breach_day: int
    onset_day: int | None  # first day of A's surge; None when nothing is planted
    onset_b_day: int | None
    background_rate: float
    surge_rate: float
    surge_b_rate: float
    breach_size: int  # people in A's dataset, registered or not
    window_start: np.ndarray  # per registered person, first observed day
    window_end: np.ndarray  # per registered person, first day no longer observed (n_days: observed until today)
    in_a: np.ndarray  # bool per registered person: proven exposure to A
    in_b: np.ndarray
    contact_person: np.ndarray  # one entry per contact
    contact_day: np.ndarray
    contact_number: np.ndarray  # index into numbers
    numbers: list[PlantedNumber] = field(default_factory=list)

    @property
    def n_people(self) -> int:
        return len(self.window_start)

    @property
    def keys(self) -> list[str]:
        return [n.e164 for n in self.numbers]

    def number_indices(self, kind: str) -> np.ndarray:
        return np.array([i for i, n in enumerate(self.numbers) if n.kind == kind], dtype=int)

    def day_date(self, day: int) -> date:
        return self.start + timedelta(days=int(day))

    def daily(self, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The group's contacts and person-days on each day (the input of stats.detect_onset)."""
        counts = np.bincount(self.contact_day[mask[self.contact_person]], minlength=self.n_days)
        change = np.bincount(self.window_start[mask], minlength=self.n_days + 1)[: self.n_days + 1].astype(float)
        change -= np.bincount(self.window_end[mask], minlength=self.n_days + 1)[: self.n_days + 1]
        return counts[: self.n_days], np.cumsum(change)[: self.n_days]

    def _days_in(self, mask: np.ndarray, day_from: int, day_to: int) -> np.ndarray:
        lo = np.maximum(self.window_start[mask], day_from)
        return np.clip(np.minimum(self.window_end[mask], day_to) - lo, 0, None)

    def totals(self, mask: np.ndarray, day_from: int = 0, day_to: int | None = None) -> tuple[int, float]:
        """(contacts, person-days) of the group over days [day_from, day_to)."""
        day_to = self.n_days if day_to is None else day_to
        in_days = (self.contact_day >= day_from) & (self.contact_day < day_to)
        return int(np.count_nonzero(mask[self.contact_person] & in_days)), float(
            self._days_in(mask, day_from, day_to).sum()
        )

    def expected(self, mask: np.ndarray, day_from: int = 0, day_to: int | None = None) -> float:
        """The planted expected number of the group's contacts over [day_from, day_to): the truth to recover."""
        day_to = self.n_days if day_to is None else day_to
        total = self.background_rate * self._days_in(mask, day_from, day_to).sum()
        for onset, rate, breach in (
            (self.onset_day, self.surge_rate, self.in_a),
            (self.onset_b_day, self.surge_b_rate, self.in_b),
        ):
            if onset is not None and rate > 0:
                total += rate * self._days_in(mask & breach, max(day_from, onset), day_to).sum()
        return float(total)

    def true_rate_ratio(
        self, mask_a: np.ndarray, span_a: tuple[int, int], mask_b: np.ndarray, span_b: tuple[int, int]
    ) -> float:
        """Expected rate of group a over span a divided by that of group b over span b."""
        return (self.expected(mask_a, *span_a) / self._days_in(mask_a, *span_a).sum()) / (
            self.expected(mask_b, *span_b) / self._days_in(mask_b, *span_b).sum()
        )

    def number_rows(self, members: np.ndarray, *, min_targets: int = 1) -> list[stats.NumberTargets]:
        """Every number's targets among the observed people, members being `members` (stats.number_targets)."""
        return stats.number_targets(
            self.keys,
            self.contact_number,
            self.contact_person,
            self.contact_day,
            self.window_start,
            self.window_end,
            members,
            min_targets=min_targets,
        )

    def campaign_numbers(self, linked: set[str] | None = None) -> list[stats.CampaignNumber]:
        """The campaign inputs for numbers (all campaign and decoy numbers, or those in `linked`)."""
        first = np.full(len(self.numbers), self.n_days)
        last = np.full(len(self.numbers), -1)
        np.minimum.at(first, self.contact_number, self.contact_day)
        np.maximum.at(last, self.contact_number, self.contact_day)
        out = []
        for i, n in enumerate(self.numbers):
            if last[i] < 0 or n.kind == NOISE or (linked is not None and n.e164 not in linked):
                continue
            country = {"+234": "NG", "+92": "PK"}.get(n.e164[:4], {"+92": "PK"}.get(n.e164[:3], "IT"))
            out.append(
                stats.CampaignNumber(
                    e164=n.e164,
                    block=stats.number_block(n.e164),
                    scripts=frozenset({n.script} if n.script else ()),
                    first_seen=self.day_date(first[i]),
                    last_seen=self.day_date(last[i]),
                    country=country,
                    carrier="planted",
                    line_type="mobile",
                    channels=frozenset({"call"}),
                )
            )
        return out


def _campaign_numbers(prefix: str, kind: str, campaigns: int, per_campaign: int, tag: str) -> list[PlantedNumber]:
    return [
        PlantedNumber(e164=f"{prefix}{c:05d}{j:02d}", kind=kind, campaign=f"{tag}{c}", script=f"{tag}-script-{c}")
        for c in range(campaigns)
        for j in range(per_campaign)
    ]


def plant(
    *,
    seed: int,
    breach_size: int = 3000,
    registered_fraction: float = 0.25,
    controls: int = 2000,
    n_days: int = 180,
    breach_day: int = 90,
    onset_lag: int | None = 10,
    background_rate: float = 0.02,
    surge_rate: float = 0.06,
    campaigns: int = 3,
    numbers_per_campaign: int = 4,
    decoys: int = 8,
    decoy_share: float = 0.3,
    noise_pool: int = 20000,
    b_overlap: float = 0.7,
    b_only: int = 500,
    surge_b_rate: float = 0.0,
    onset_b_lag: int = 20,
    campaigns_b: int = 2,
    early_fraction: float = 0.3,
    start: date = date(2025, 1, 1),
) -> Scenario:
    """One planted scenario (see the module docstring); onset_lag=None or surge_rate=0 plants no surge on A.

    Registered people: round(breach_size·registered_fraction) members of A, then `controls` people in no breach.
    B holds a `b_overlap` share of A's registered members plus `b_only` of the controls (who then are not in the
    control group of A's evidence only if the caller excludes B). Sign-up day ~ Uniform{0 … n_days−15}; with
    probability `early_fraction` the window starts up to 90 days earlier (a call log), never before day 0.
    """
    rng = np.random.default_rng(seed)
    members = int(round(breach_size * registered_fraction))
    n = members + controls
    in_a = np.zeros(n, dtype=bool)
    in_a[:members] = True
    in_b = np.zeros(n, dtype=bool)
    in_b[:members] = rng.random(members) < b_overlap
    in_b[members + rng.choice(controls, size=min(b_only, controls), replace=False)] = True
    signup = rng.integers(0, max(n_days - 14, 1), size=n)
    early = rng.random(n) < early_fraction
    window_start = np.where(early, np.maximum(signup - rng.integers(0, 91, size=n), 0), signup)
    window_end = np.full(n, n_days)
    days = np.arange(n_days)
    observed = (days[None, :] >= window_start[:, None]) & (days[None, :] < window_end[:, None])

    numbers = _campaign_numbers("+23480", CAMPAIGN, campaigns, numbers_per_campaign, "A")
    numbers += _campaign_numbers(
        "+92300", CAMPAIGN_B, campaigns_b if surge_b_rate > 0 else 0, numbers_per_campaign, "B"
    )
    numbers += [
        PlantedNumber(e164=f"+3902{i:04d}1234", kind=DECOY, campaign=None, script=f"decoy-{i}") for i in range(decoys)
    ]
    first_noise = len(numbers)
    persons, dayss, nums = [], [], []

    def draw(rate: float, cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        count = rng.poisson(rate * cells)
        who, when = np.nonzero(count)
        reps = count[who, when]
        return np.repeat(who, reps), np.repeat(when, reps)

    who, when = draw(background_rate, observed)
    is_decoy = (rng.random(len(who)) < decoy_share) if decoys else np.zeros(len(who), dtype=bool)
    caller = np.where(
        is_decoy,
        first_noise - decoys + rng.integers(0, max(decoys, 1), size=len(who)),
        first_noise + rng.integers(0, noise_pool, size=len(who)),
    )
    persons.append(who), dayss.append(when), nums.append(caller)
    onset_day = None if onset_lag is None or surge_rate <= 0 or campaigns == 0 else breach_day + onset_lag
    onset_b_day = None if surge_b_rate <= 0 or campaigns_b == 0 else breach_day + onset_b_lag
    for onset, rate, breach, kind in (
        (onset_day, surge_rate, in_a, CAMPAIGN),
        (onset_b_day, surge_b_rate, in_b, CAMPAIGN_B),
    ):
        if onset is None:
            continue
        who, when = draw(rate, observed & breach[:, None] & (days >= onset)[None, :])
        pool = np.array([i for i, x in enumerate(numbers) if x.kind == kind])
        persons.append(who), dayss.append(when), nums.append(pool[rng.integers(0, len(pool), size=len(who))])
    contact_number = np.concatenate(nums)
    used = np.unique(contact_number[contact_number >= first_noise])
    numbers += [PlantedNumber(e164=f"+39345{i:07d}", kind=NOISE, campaign=None, script=None) for i in range(len(used))]
    remap = np.searchsorted(used, contact_number[contact_number >= first_noise]) + first_noise
    contact_number[contact_number >= first_noise] = remap
    return Scenario(
        seed=seed,
        start=start,
        n_days=n_days,
        breach_day=breach_day,
        onset_day=onset_day,
        onset_b_day=onset_b_day,
        background_rate=background_rate,
        surge_rate=surge_rate if onset_day is not None else 0.0,
        surge_b_rate=surge_b_rate if onset_b_day is not None else 0.0,
        breach_size=breach_size,
        window_start=window_start,
        window_end=window_end,
        in_a=in_a,
        in_b=in_b,
        contact_person=np.concatenate(persons),
        contact_day=np.concatenate(dayss),
        contact_number=contact_number,
        numbers=numbers,
    )


@dataclass(frozen=True)
class SilentPlan:
    """How many of each silent-call rule breach a campaign gets (the near misses are added on top)."""

    calls: int  # answered calls of the campaign, silent ones included
    silent: int
    without_noise: int  # of the silent calls, how many had no background noise
    noise_unknown: int
    not_dropped: int  # of the silent calls, how many lasted more than 3 s
    called_again: int  # of the silent calls, how many are followed by a call to the same person within 5 days


DEFAULT_SILENT_PLANS = {
    "A0": SilentPlan(calls=200, silent=12, without_noise=5, noise_unknown=2, not_dropped=4, called_again=3),
    "A1": SilentPlan(calls=300, silent=9, without_noise=0, noise_unknown=0, not_dropped=1, called_again=0),
    "A2": SilentPlan(calls=100, silent=3, without_noise=1, noise_unknown=1, not_dropped=0, called_again=1),
}


def plant_silent_calls(
    *, seed: int, plans: dict[str, SilentPlan] | None = None, start: datetime = datetime(2025, 3, 1, 9, 0)
) -> tuple[list[ContactEvent], dict]:
    """Contact events of campaigns with planted silent-call rule breaches, and the counts the rules must give.

    Each campaign's ordinary calls go to distinct people (so no repeat happens by chance); planted repeats follow a
    silent call by 1 h to 5 days (exactly 5 days included). Near misses that must not count: a silent line of
    exactly 3 s, a call 5 days and 1 minute after a silent call, an SMS within 5 days, and a call within 5 days
    from another campaign. Returns (events in shuffled order, {campaign: expected counts, "total": ...}).
    """
    plans = DEFAULT_SILENT_PLANS if plans is None else plans
    rng = np.random.default_rng(seed)
    events: list[ContactEvent] = []
    expected: dict = {}
    person = 0
    names = list(plans)
    incoming = dict.fromkeys(names, 0)
    for ci, (name, plan) in enumerate(plans.items()):
        other = names[(ci + 1) % len(names)] if len(names) > 1 else None
        extra_calls = repeats = 0
        for i in range(plan.calls):
            person += 1
            at = start + timedelta(minutes=int(rng.integers(0, 60 * 24 * 60)))
            if i >= plan.silent:
                events.append(ContactEvent(person, name, at, "call", None, None))
                continue
            noise = False if i < plan.without_noise else (None if i < plan.without_noise + plan.noise_unknown else True)
            seconds = 4 + int(rng.integers(0, 20)) if i < plan.not_dropped else (3 if i == plan.not_dropped else 1)
            events.append(ContactEvent(person, name, at, "silent_call", seconds, noise))
            if i < plan.called_again:
                gap = timedelta(days=5) if i == 0 else timedelta(minutes=int(rng.integers(60, 5 * 24 * 60)))
                events.append(ContactEvent(person, name, at + gap, "call", None, None))
                extra_calls += 1
                repeats += 1
            elif i == plan.called_again:  # near misses on this silent call's person
                events.append(ContactEvent(person, name, at + timedelta(days=5, minutes=1), "call", None, None))
                events.append(ContactEvent(person, name, at + timedelta(days=1), "sms", None, None))
                extra_calls += 1
                if other is not None:
                    events.append(ContactEvent(person, other, at + timedelta(days=2), "call", None, None))
                    incoming[other] += 1
        expected[name] = {
            "calls": plan.calls + extra_calls,
            "silent_calls": plan.silent,
            "silent_without_noise": plan.without_noise,
            "silent_noise_unknown": plan.noise_unknown,
            "not_dropped_within_3s": plan.not_dropped,
            "called_again_within_5_days": repeats,
            "people_called_again": repeats,
        }
    for name, row in expected.items():
        row["calls"] += incoming[name]  # the near-miss calls other campaigns' people got from this one
        row["over_3_per_100"] = 100.0 * row["silent_calls"] / row["calls"] > 3
    expected["total"] = {k: sum(expected[n][k] for n in plans) for k in CONDUCT_COUNTS}
    expected["total"]["campaigns_over_3_per_100"] = sum(expected[n]["over_3_per_100"] for n in plans)
    order = rng.permutation(len(events))
    return [events[i] for i in order], expected
