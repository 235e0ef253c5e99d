"""Small-cell suppression: the one rule every figure shown to HR, unions or the public passes through.

A cell counted from fewer than K distinct people (settings.INSIGHTS_MIN_PEOPLE, 10 by default) is hidden,
never shown as a number. Where the line of cells also publishes its total, hiding one cell alone would not
protect it (total minus the visible cells gives it back), so the smallest visible cell is hidden with it
(complementary suppression). A selection (scope, period, channel) that covers fewer than K people is refused
as a whole.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _


def min_people() -> int:
    return settings.INSIGHTS_MIN_PEOPLE


@dataclass(frozen=True)
class Cell:
    """One figure: `contacts` (reports) made by `people` distinct people; both None once hidden.

    `people` is None but `hidden` False for a sum of visible cells whose distinct people cannot be known
    (people repeat across months)."""

    key: str
    contacts: int | None
    people: int | None
    hidden: bool = False
    partial: bool = False  # a sum over months some of which were hidden

    def hide(self) -> "Cell":
        # Not dataclasses.replace(): a year of a big breach hides thousands of free-text cells per request.
        return Cell(self.key, None, None, hidden=True, partial=self.partial)


class SelectionTooNarrow(Exception):
    """The filters would show figures about fewer than K people."""

    def __init__(self, message=None):
        self.message = message or _(
            "This selection covers fewer than %(k)d people, so its figures are not shown. Choose a longer "
            "period or fewer filters."
        ) % {"k": min_people()}
        super().__init__(str(self.message))


def suppress(cells: Iterable[Cell], *, total_published: bool = True, k: int | None = None) -> list[Cell]:
    """Hide the cells of one line (a breakdown adding up to a total) that could single out fewer than k people.

    Primary: every cell with 1 to k-1 people. Complementary, when the line's total is published: if exactly
    one cell is hidden, also hide the visible cell with the fewest people (then contacts), so no hidden cell
    equals the total minus the visible ones. Cells with no people (no contacts) stay visible: they reveal
    nobody. The order of the cells is kept.
    """
    cells = list(cells)
    hidden = hidden_positions([(c.contacts, c.people) for c in cells], total_published=total_published, k=k)
    return [c.hide() if i in hidden else c for i, c in enumerate(cells)]


def hidden_positions(
    line: list[tuple[int | None, int | None]], *, total_published: bool = True, k: int | None = None
) -> set[int]:
    """The rule of suppress() on a line of plain (contacts, people) pairs: the positions to hide. Selectors
    that combine thousands of stored cells per request use it without building a Cell for each."""
    k = min_people() if k is None else k
    hidden = {i for i, (_, people) in enumerate(line) if people is not None and 0 < people < k}
    if total_published and len(hidden) == 1:
        visible = [i for i, (contacts, _) in enumerate(line) if i not in hidden and contacts]
        if visible:
            hidden.add(min(visible, key=lambda i: (line[i][1] or 0, line[i][0] or 0, i)))
    return hidden


def check_selection(people: int | None, *, k: int | None = None) -> None:
    """Refuse a selection whose total counts fewer than k people (None: no contacts at all, which is fine)."""
    k = min_people() if k is None else k
    if people is not None and 0 < people < k:
        raise SelectionTooNarrow


def count_or_hidden(people: int, *, k: int | None = None) -> int | None:
    """A count of people shown as such only from k up (0 is shown: it singles out nobody)."""
    k = min_people() if k is None else k
    return people if people == 0 or people >= k else None
