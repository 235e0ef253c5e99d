"""The release layer: the one rule every figure shown to HR, unions or the public passes through.

A figure is read from one stored rollup cell (or added up from such cells), and released here:

- a cell counted from 1 to K−1 people (settings.INSIGHTS_MIN_PEOPLE, 10 by default; only proven people are
  counted at all: apps/insights/scopes.py) is hidden, never shown as a number;
- every other count, of contacts or of people, is published with the consistent noise of the cell-key method
  (apps/insights/perturbation.py): the same cell always shows the same value, zero stays zero, no published
  count lies between 1 and K−1, and the difference of two overlapping cells is no longer exact. So there is no
  need to hide a second cell beside a lone hidden one: the line's total minus its visible cells gives the hidden
  one only up to the sum of their noises.
- a selection (scope, period, channel) whose total counts fewer than K people is refused as a whole.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from apps.insights.keys import cell_key_of
from apps.insights.perturbation import min_people, publish_contacts, publish_people


@dataclass(frozen=True, slots=True)
class Cell:
    """One published figure: `contacts` (reports) made by `people` distinct people, both perturbed; both None
    once hidden. `people` is None but `hidden` False for a sum of cells whose distinct people cannot be known
    (people repeat across months)."""

    key: str
    contacts: int | None
    people: int | None
    hidden: bool = False
    partial: bool = False  # a sum over months some of which were hidden


class SelectionTooNarrow(Exception):
    """The filters would show figures about fewer than K people."""

    def __init__(self, message=None):
        self.message = message or _(
            "This selection covers fewer than %(k)d people, so its figures are not shown. Choose a longer "
            "period or fewer filters."
        ) % {"k": min_people()}
        super().__init__(str(self.message))


def is_hidden(people: int | None, *, k: int | None = None) -> bool:
    """A cell of 1 to K−1 people is never published (a cell of nobody reveals nobody)."""
    k = min_people() if k is None else k
    return people is not None and 0 < people < k


def release(key: str, reports: int, people: int, cell_key: int) -> Cell:
    """One stored cell as it may be published: hidden, or its counts perturbed."""
    if is_hidden(people):
        return Cell(key, None, None, hidden=True)
    return Cell(key, publish_contacts(reports, people, cell_key), publish_people(people, cell_key))


def check_selection(people: int | None, *, k: int | None = None) -> None:
    """Refuse a selection whose total counts fewer than k people (None: no contacts at all, which is fine)."""
    if is_hidden(people, k=k):
        raise SelectionTooNarrow


def people_count(person_ids) -> int | None:
    """A count of registered people as published (not read from a rollup cell): its cell key is made from the
    same record keys, so it too is hidden below K and perturbed consistently."""
    person_ids = set(person_ids)
    return people_released(len(person_ids), cell_key_of(person_ids))


def people_released(people: int, cell_key: int) -> int | None:
    """people_count() of a set of people whose size and cell key (the sum of their record keys modulo 2^32) are
    already known, as Scope.people and Scope.people_ckey keep them: the same published value."""
    if is_hidden(people):
        return None
    return publish_people(people, cell_key)
