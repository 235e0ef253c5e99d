"""Planted scenarios shared by the linkage tests: one sweep over seeds and sizes, built once per session."""

import numpy as np
import pytest

from apps.insights.linkage import planted, stats

SWEEP_RUNS = 60


def sweep_config(seed: int) -> dict:
    """Sizes and rates drawn per seed: 120–1,400 registered members, 800–3,000 controls, a surge of 2–4 times the
    background starting 3–40 days after the breach, 1–5 campaigns of 2–10 numbers each, 3–14 decoys."""
    r = np.random.default_rng(10_000 + seed)
    background = r.uniform(0.01, 0.03)
    return dict(
        seed=seed,
        breach_size=int(r.integers(800, 4000)),
        registered_fraction=r.uniform(0.15, 0.35),
        controls=int(r.integers(800, 3000)),
        n_days=int(r.integers(150, 201)),
        breach_day=int(r.integers(60, 91)),
        onset_lag=int(r.integers(3, 41)),
        background_rate=background,
        surge_rate=background * r.uniform(2, 4),
        campaigns=int(r.integers(1, 6)),
        numbers_per_campaign=int(r.integers(2, 11)),
        decoys=int(r.integers(3, 15)),
    )


class Run:
    """One planted scenario with what the statistics found in it (computed once)."""

    def __init__(self, config: dict):
        self.config = config
        self.scenario = s = planted.plant(**config)
        self.onset = stats.detect_onset(*s.daily(s.in_a), seed=config["seed"])
        self.attributions = stats.attribute_numbers(s.number_rows(s.in_a, min_targets=3))
        self.kind = {n.e164: n.kind for n in s.numbers}


@pytest.fixture(scope="session")
def sweep() -> list[Run]:
    return [Run(sweep_config(seed)) for seed in range(SWEEP_RUNS)]
