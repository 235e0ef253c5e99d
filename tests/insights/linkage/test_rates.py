"""Rate ratios with exact intervals, and the difference in differences, checked on planted truth."""

import math

import numpy as np
import pytest
from scipy import stats as sps

from apps.insights.linkage import planted, stats

COVERAGE_RUNS = 240


def test_rate_ratio_interval_ends_are_where_the_exact_binomial_tails_are_two_and_a_half_percent():
    x_a, t_a, x_b, t_b = 17, 1200.0, 9, 2500.0
    rr = stats.rate_ratio(x_a, t_a, x_b, t_b)
    assert rr.estimate == pytest.approx((17 / 1200) / (9 / 2500))
    n = x_a + x_b

    def share(ratio):  # π for a given rate ratio, conditional on n
        return ratio * t_a / (ratio * t_a + t_b)

    assert sps.binom.sf(x_a - 1, n, share(rr.low)) == pytest.approx(0.025, rel=1e-6)
    assert sps.binom.cdf(x_a, n, share(rr.high)) == pytest.approx(0.025, rel=1e-6)


def test_rate_ratio_with_nothing_to_compare_is_empty():
    assert stats.rate_ratio(5, 0.0, 3, 100.0) == stats.Estimate(None, None, None)
    assert stats.rate_ratio(5, 100.0, 3, 0.0).as_dict() == {"estimate": None, "low": None, "high": None}
    assert stats.rate_ratio(0, 100.0, 0, 100.0).estimate is None


def test_rate_ratio_with_one_side_at_zero_keeps_the_finite_bound():
    none_in_b = stats.rate_ratio(6, 100.0, 0, 100.0)
    assert none_in_b.estimate is None and none_in_b.high is None and none_in_b.low > 1
    none_in_a = stats.rate_ratio(0, 100.0, 6, 100.0)
    assert none_in_a.estimate == 0 and none_in_a.low == 0 and 0 < none_in_a.high < 1


def test_difference_in_differences_ratio_and_absolute_difference():
    did = stats.difference_in_differences((20, 1000.0), (90, 1500.0), (40, 2000.0), (44, 2000.0))
    assert did.estimate == pytest.approx((90 / 1500 / (20 / 1000)) / (44 / 2000 / (40 / 2000)))
    se = math.sqrt(1 / 20 + 1 / 90 + 1 / 40 + 1 / 44)
    assert did.low == pytest.approx(did.estimate * math.exp(-1.959964 * se), rel=1e-5)
    assert did.difference == pytest.approx(100 * ((90 / 1500 - 20 / 1000) - (44 / 2000 - 40 / 2000)))
    assert did.difference_low < did.difference < did.difference_high
    assert set(did.as_dict()) >= {"estimate", "low", "high", "difference", "difference_low", "difference_high"}


def test_difference_in_differences_without_person_days_or_counts():
    assert stats.difference_in_differences((1, 0.0), (2, 10.0), (3, 10.0), (4, 10.0)).estimate is None
    zero = stats.difference_in_differences((0, 10.0), (2, 10.0), (3, 10.0), (4, 10.0))
    assert zero.estimate is None and zero.difference is not None


def _coverage_scenario(seed: int) -> planted.Scenario:
    r = np.random.default_rng(30_000 + seed)
    background = r.uniform(0.01, 0.03)
    return planted.plant(
        seed=seed,
        breach_size=int(r.integers(500, 2000)),
        registered_fraction=r.uniform(0.1, 0.3),
        controls=int(r.integers(300, 1200)),
        n_days=120,
        breach_day=60,
        onset_lag=int(r.integers(0, 30)),
        background_rate=background,
        surge_rate=background * r.uniform(0.5, 3),
        decoys=3,
        noise_pool=1000,
    )


def test_95_percent_intervals_contain_the_planted_rate_ratios_in_about_95_percent_of_runs():
    """Three planted truths per run: members vs controls after the breach (a mix of background and surge days),
    members after vs before, and the difference in differences (whose truth is members' ratio over controls')."""
    hits = {"vs_controls": 0, "vs_before": 0, "did": 0}
    for seed in range(COVERAGE_RUNS):
        s = _coverage_scenario(seed)
        members, controls = s.in_a, ~s.in_a
        before, after = (0, s.breach_day), (s.breach_day, s.n_days)
        checks = {
            "vs_controls": (
                stats.rate_ratio(*s.totals(members, *after), *s.totals(controls, *after)),
                s.true_rate_ratio(members, after, controls, after),
            ),
            "vs_before": (
                stats.rate_ratio(*s.totals(members, *after), *s.totals(members, *before)),
                s.true_rate_ratio(members, after, members, before),
            ),
            "did": (
                stats.difference_in_differences(
                    s.totals(members, *before),
                    s.totals(members, *after),
                    s.totals(controls, *before),
                    s.totals(controls, *after),
                ),
                s.true_rate_ratio(members, after, members, before)
                / s.true_rate_ratio(controls, after, controls, before),
            ),
        }
        for name, (estimate, truth) in checks.items():
            hits[name] += estimate.low <= truth <= estimate.high
    for name, count in hits.items():
        assert 0.90 * COVERAGE_RUNS <= count <= 0.99 * COVERAGE_RUNS, (name, count)


def test_a_planted_surge_gives_a_rate_ratio_above_one_and_no_surge_gives_one_inside_the_interval():
    s = planted.plant(seed=11)
    after = (s.breach_day, s.n_days)
    assert stats.rate_ratio(*s.totals(s.in_a, *after), *s.totals(~s.in_a, *after)).low > 1.5
    flat = planted.plant(seed=11, onset_lag=None)
    rr = stats.rate_ratio(*flat.totals(flat.in_a, *after), *flat.totals(~flat.in_a, *after))
    assert rr.low <= 1 <= rr.high
