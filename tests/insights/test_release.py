"""The release layer: nothing about 1 to K-1 people is shown, and every published count is perturbed
consistently (the cell-key method), within the documented bounds."""

import random
import statistics
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.insights import perturbation
from apps.insights.perturbation import KEY_SPACE, noise, publish_contacts, publish_people, table
from apps.insights.release import SelectionTooNarrow, check_selection, release
from apps.insights.selectors import combine

K = 10
keys = st.integers(min_value=0, max_value=KEY_SPACE - 1)


def test_a_cell_under_k_people_is_hidden_and_shows_no_number():
    cell = release("NG", 40, 9, 12345)
    assert cell.hidden and cell.contacts is None and cell.people is None
    assert not release("NG", 40, 10, 12345).hidden


def test_zero_stays_zero_and_exactly_k_people_are_shown_as_k():
    assert release("NG", 0, 0, 999).contacts == 0
    assert publish_people(0, 999) == 0
    # Below K + 1 the noise could only go up (the table never publishes below K), and its mean is zero.
    assert {publish_people(K, key) for key in range(0, KEY_SPACE, KEY_SPACE // 500)} == {K}


def test_a_selection_of_fewer_than_k_people_is_refused():
    with pytest.raises(SelectionTooNarrow):
        check_selection(9, k=K)
    check_selection(10, k=K)
    check_selection(0, k=K)


@settings(max_examples=500, deadline=None)
@given(st.integers(min_value=0, max_value=5000), st.integers(min_value=0, max_value=200), keys)
def test_a_published_count_is_within_the_bound_and_never_between_1_and_k_minus_1(extra, people, cell_key):
    contacts = people + extra if people else 0
    cell = release("x", contacts, people, cell_key)
    if 0 < people < K:
        assert cell.hidden
        return
    for true, shown in ((contacts, cell.contacts), (people, cell.people)):
        assert abs(shown - true) <= perturbation.noise_max()
        assert shown == 0 or shown >= K
        assert (shown == 0) == (true == 0)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=10, max_value=500), keys)
def test_the_same_cell_always_gets_the_same_value(count, cell_key):
    assert publish_people(count, cell_key) == publish_people(count, cell_key)
    assert publish_contacts(count + 3, count, cell_key) == publish_contacts(count + 3, count, cell_key)


@pytest.mark.parametrize("count", [11, 12, 13, 40, 1000])
def test_the_noise_has_mean_zero_and_the_configured_variance(count):
    rows = table(count)
    assert sum(p for _, p in rows) == pytest.approx(1)
    assert sum(d * p for d, p in rows) == pytest.approx(0, abs=1e-9)
    variance = sum(d * d * p for d, p in rows)
    assert variance <= perturbation.noise_variance() + 1e-9
    if count >= K + perturbation.noise_max():
        assert variance == pytest.approx(perturbation.noise_variance())
    # And the draws by cell key follow the table: keys are uniform, so the noise of random cells is too.
    draws = [noise(count, random.Random(count * 7 + i).randrange(KEY_SPACE)) for i in range(20_000)]
    assert statistics.fmean(draws) == pytest.approx(0, abs=0.03)
    assert statistics.pvariance(draws) == pytest.approx(variance, abs=0.05)


def test_the_bounds_are_settings(settings):
    settings.INSIGHTS_NOISE_MAX, settings.INSIGHTS_NOISE_VARIANCE = 3, 2.0
    shown = {publish_people(50, key) - 50 for key in range(0, KEY_SPACE, KEY_SPACE // 2000)}
    assert shown == {-3, -2, -1, 0, 1, 2, 3}


def test_people_and_contacts_of_one_cell_get_independent_noises():
    pairs = [
        (publish_people(50, key) - 50, publish_contacts(80, 50, key) - 80)
        for key in (random.Random(i).randrange(KEY_SPACE) for i in range(5000))
    ]
    same = sum(a == b for a, b in pairs) / len(pairs)
    assert same == pytest.approx(sum(p * p for _, p in table(50)), abs=0.03)  # as for two independent draws


people = st.integers(min_value=0, max_value=40)


@st.composite
def lines(draw):
    size = draw(st.integers(min_value=1, max_value=12))
    cells = []
    for i in range(size):
        n = draw(people)
        cells.append((f"c{i}", n + draw(st.integers(min_value=0, max_value=50)) if n else 0, n, draw(keys)))
    return cells


@settings(max_examples=200, deadline=None)
@given(st.lists(lines(), min_size=1, max_size=6))
def test_a_sum_over_months_adds_what_each_month_publishes(months):
    atoms = []
    for m, cells in enumerate(months):
        month = date(2025, m + 1, 1)
        atoms += [(month, key, contacts, n, ckey) for key, contacts, n, ckey in cells if contacts]
    combined = {c.key: c for c in combine(atoms, all_time=False)}
    for key, cell in combined.items():
        shown_each_month = [
            release(k, contacts, n, ckey).contacts
            for cells in months
            for k, contacts, n, ckey in cells
            if k == key and contacts and not release(k, contacts, n, ckey).hidden
        ]
        if cell.hidden:
            assert not shown_each_month
        else:
            assert cell.contacts == sum(shown_each_month) and cell.people is None


def test_two_cells_of_the_same_people_with_different_counts_do_not_difference_exactly():
    """All time and the month everybody reported in have the same people, so the same cell key: were the noise
    drawn from the key alone, all time minus that month would give the other months' hidden total exactly."""
    exact = 0
    for i in range(5000):
        key = random.Random(i).randrange(KEY_SPACE)
        all_time, december = 120 + i % 7, 100
        exact += (publish_contacts(all_time, 40, key) - publish_contacts(december, 40, key)) == all_time - december
    assert exact / 5000 == pytest.approx(sum(p * p for _, p in table(50)), abs=0.03)
