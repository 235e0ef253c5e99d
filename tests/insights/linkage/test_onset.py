"""The onset of a surge: found within ±3 days of the planted day, and not found when nothing is planted."""

import numpy as np
from scipy import stats as sps

from apps.insights.linkage import planted, stats

NULL_RUNS = 200


def test_onset_is_found_within_three_days_of_the_planted_day_across_seeds_and_sizes(sweep):
    errors = [run.onset.day - run.scenario.onset_day for run in sweep if run.onset is not None]
    assert len(errors) == len(sweep), "every planted surge is detected"
    assert max(abs(e) for e in errors) <= 3, errors


def test_onset_interval_contains_the_planted_day_in_most_runs(sweep):
    covered = sum(run.onset.low <= run.scenario.onset_day <= run.onset.high for run in sweep)
    assert covered >= 0.85 * len(sweep)
    assert all(run.onset.low <= run.onset.day <= run.onset.high for run in sweep)


def test_onset_rates_recover_the_planted_background_and_surge(sweep):
    for run in sweep:
        s = run.scenario
        assert abs(run.onset.rate_before / s.background_rate - 1) < 0.25
        assert abs(run.onset.rate_after / (s.background_rate + s.surge_rate) - 1) < 0.25


def _null(seed: int) -> planted.Scenario:
    r = np.random.default_rng(20_000 + seed)
    return planted.plant(
        seed=seed,
        breach_size=int(r.integers(400, 2500)),
        registered_fraction=r.uniform(0.1, 0.4),
        controls=int(r.integers(300, 1500)),
        n_days=int(r.integers(100, 181)),
        onset_lag=None,
        campaigns=0,
        background_rate=r.uniform(0.01, 0.04),
        decoys=int(r.integers(3, 12)),
    )


def test_no_surge_and_no_link_when_nothing_is_planted():
    """200 scenarios with background contacts and decoys only. The false-onset count must fit the test's level
    (Binomial(200, α) at its 99.9% quantile), and numbers linked anywhere at most what Holm's family-wise 0.001
    allows (a link in at most 2 of 200 runs); decoys' raw p-values are not smaller than they should be."""
    p_values, runs_with_links, decoy_p = [], 0, []
    for seed in range(NULL_RUNS):
        s = _null(seed)
        p_values.append(stats.surge_test(*s.daily(s.in_a), seed=seed)[1])
        attributions = stats.attribute_numbers(s.number_rows(s.in_a, min_targets=3))
        runs_with_links += any(a.linked for a in attributions)
        decoys = {s.numbers[i].e164 for i in s.number_indices(planted.DECOY)}
        decoy_p += [a.p_value for a in attributions if a.key in decoys]
    p_values = np.array(p_values)
    for alpha in (0.01, 0.05):
        assert np.count_nonzero(p_values < alpha) <= sps.binom.ppf(0.999, NULL_RUNS, alpha), alpha
    assert runs_with_links <= 2
    decoy_p = np.array(decoy_p)
    assert len(decoy_p) > 1000
    assert np.mean(decoy_p < 0.05) <= 0.05 + 3 * np.sqrt(0.05 * 0.95 / len(decoy_p))


def test_detect_onset_reports_nothing_on_a_series_without_a_surge():
    s = _null(7)
    assert stats.detect_onset(*s.daily(s.in_a)) is None


def test_a_fall_in_the_rate_is_not_a_surge():
    rng = np.random.default_rng(3)
    exposure = np.full(120, 500.0)
    counts = rng.poisson(np.where(np.arange(120) < 60, 0.08, 0.02) * exposure)
    assert stats.detect_onset(counts, exposure) is None


def test_days_without_person_days_are_left_out_and_the_onset_keeps_its_calendar_day():
    rng = np.random.default_rng(5)
    exposure = np.concatenate([np.zeros(30), np.full(100, 400.0)])
    rate = np.where(np.arange(130) < 80, 0.02, 0.08)
    onset = stats.detect_onset(rng.poisson(rate * exposure), exposure)
    assert onset is not None and abs(onset.day - 80) <= 1


def test_edge_series_give_no_onset():
    assert stats.detect_onset([0] * 60, [100.0] * 60) is None  # zero events
    assert stats.detect_onset([3] * 60, [0.0] * 60) is None  # zero person-days
    assert stats.detect_onset([1, 1, 1, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9], [10.0] * 13) is None  # < 2 × min_segment
    assert stats.detect_onset([], []) is None
    assert stats.surge_test([0] * 60, [100.0] * 60) == (None, 1.0)


def test_counts_and_person_days_of_different_lengths_are_refused():
    import pytest

    with pytest.raises(ValueError):
        stats.detect_onset([1, 2, 3], [1.0, 2.0])
