"""The one suppression rule: nothing about 1 to K-1 people is shown, and no hidden cell can be worked out."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.insights.selectors import combine
from apps.insights.suppression import Cell, SelectionTooNarrow, check_selection, count_or_hidden, suppress

K = 10


def line(*people_and_contacts):
    return [Cell(f"c{i}", contacts, people) for i, (people, contacts) in enumerate(people_and_contacts)]


def test_a_cell_under_k_people_is_hidden_and_shows_no_number():
    cells = suppress(line((3, 5), (12, 40), (25, 60)), k=K, total_published=False)
    assert cells[0].hidden and cells[0].contacts is None and cells[0].people is None
    assert [c.contacts for c in cells[1:]] == [40, 60]


def test_a_lone_hidden_cell_takes_the_smallest_visible_one_with_it_when_the_total_is_shown():
    cells = suppress(line((3, 5), (12, 40), (25, 60)), k=K)
    assert [c.hidden for c in cells] == [True, True, False]  # 105 - 60 would give the sum, not either cell


def test_two_hidden_cells_need_no_complement():
    cells = suppress(line((3, 5), (4, 4), (25, 60)), k=K)
    assert [c.hidden for c in cells] == [True, True, False]


def test_cells_without_contacts_stay_visible_and_k_people_is_enough():
    cells = suppress(line((0, 0), (10, 10), (30, 31)), k=K)
    assert not any(c.hidden for c in cells)


def test_a_selection_of_fewer_than_k_people_is_refused():
    with pytest.raises(SelectionTooNarrow):
        check_selection(9, k=K)
    check_selection(10, k=K)
    check_selection(0, k=K)
    assert count_or_hidden(9, k=K) is None and count_or_hidden(0, k=K) == 0 and count_or_hidden(10, k=K) == 10


people = st.integers(min_value=0, max_value=40)


@st.composite
def lines(draw):
    size = draw(st.integers(min_value=1, max_value=12))
    cells = []
    for i in range(size):
        n = draw(people)
        cells.append(Cell(f"c{i}", n + draw(st.integers(min_value=0, max_value=50)) if n else 0, n))
    return cells


@settings(max_examples=300, deadline=None)
@given(lines(), st.integers(min_value=2, max_value=15))
def test_no_visible_cell_counts_between_1_and_k_minus_1_people(cells, k):
    for cell in suppress(cells, k=k):
        assert cell.hidden or cell.people == 0 or cell.people >= k
        assert cell.hidden or not cell.contacts or cell.contacts >= k


@settings(max_examples=300, deadline=None)
@given(lines(), st.integers(min_value=2, max_value=15))
def test_no_hidden_cell_equals_the_total_minus_the_visible_ones(cells, k):
    result = suppress(cells, k=k)
    hidden = [c for c, r in zip(cells, result, strict=True) if r.hidden and c.contacts]
    visible = [r for r in result if not r.hidden and r.contacts]
    # One hidden cell beside visible ones would be total - visible; with none visible, the total is that cell
    # and is refused as a whole (check_selection), since its people are the cell's.
    assert len(hidden) != 1 or not visible


@settings(max_examples=200, deadline=None)
@given(lines(), st.integers(min_value=2, max_value=15))
def test_suppression_keeps_order_and_is_stable(cells, k):
    once = suppress(cells, k=k)
    assert [c.key for c in once] == [c.key for c in cells]
    assert [c.hidden for c in suppress(once, k=k)] == [c.hidden for c in once]


@settings(max_examples=200, deadline=None)
@given(st.lists(lines(), min_size=1, max_size=6))
def test_a_sum_over_months_adds_only_what_each_month_shows(months):
    atoms = []
    for m, cells in enumerate(months):
        month = date(2025, m + 1, 1)
        atoms += [(month, c.key, c.contacts, c.people) for c in cells if c.contacts]
    combined = {c.key: c for c in combine(atoms, all_time=False)}
    for key, cell in combined.items():
        shown_each_month = []
        for cells in months:
            monthly = {c.key: c for c in suppress([c for c in cells if c.contacts])}
            if key in monthly and not monthly[key].hidden:
                shown_each_month.append(monthly[key].contacts)
        if cell.hidden:
            assert not shown_each_month
        else:
            assert cell.contacts == sum(shown_each_month) and cell.people is None
