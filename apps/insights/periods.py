"""The period a figure covers: all time, or whole calendar months.

Distinct people cannot be added up across periods, so every figure is read from stored cells: one all-time
cell, or one cell per month added up (each month's cells suppressed on their own). A period is therefore a
run of whole months; dates given by a user are widened to the months that hold them, and the answer says so.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EARLIEST = date(2000, 1, 1)
MAX_MONTHS = 120
PRESETS = ("all", "12m", "3m", "since-breach")
_MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def this_month() -> date:
    return first_of_month(timezone.localdate())


@dataclass(frozen=True)
class Period:
    """All time (start and end None), or the months from `start` to `end`, both first days, inclusive."""

    start: date | None = None
    end: date | None = None

    @property
    def all_time(self) -> bool:
        return self.start is None

    @property
    def months(self) -> list[date]:
        if self.all_time:
            return []
        count = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
        return [add_months(self.start, i) for i in range(count)]

    @property
    def last_day(self) -> date | None:
        return None if self.all_time else date.fromordinal(add_months(self.end, 1).toordinal() - 1)

    def previous(self) -> "Period":
        """The months just before, as many as this period has."""
        length = len(self.months)
        return Period(add_months(self.start, -length), add_months(self.start, -1))

    def trend_periods(self) -> tuple["Period", "Period"]:
        """The two periods a trend compares: this one and the one before; for all time, the last three
        complete months and the three before them."""
        if self.all_time:
            end = add_months(this_month(), -1)
            current = Period(add_months(end, -2), end)
            return current, current.previous()
        return self, self.previous()

    def as_dict(self) -> dict:
        if self.all_time:
            return {"all_time": True, "from": None, "to": None}
        return {"all_time": False, "from": self.start.isoformat(), "to": self.last_day.isoformat()}


def recent_months(n: int) -> Period:
    end = this_month()
    return Period(add_months(end, -(n - 1)), end)


def period_from_params(params, *, breach=None) -> Period:
    """Read `period` (all, 12m, 3m, since-breach) or `from` / `to` (YYYY-MM or YYYY-MM-DD) from a query.

    Raises ValidationError({field: message}) for anything it cannot read; never guesses.
    """
    start_text, end_text = (params.get("from") or "").strip(), (params.get("to") or "").strip()
    preset = (params.get("period") or "").strip()
    if not start_text and not end_text:
        if preset in ("", "all"):
            return Period()
        if preset == "12m":
            return recent_months(12)
        if preset == "3m":
            return recent_months(3)
        if preset == "since-breach" and breach is not None:
            return Period(max(first_of_month(breach.occurred_on), EARLIEST), this_month())
        raise ValidationError({"period": _("Choose one of the listed periods.")})
    errors = {}
    start = _month(start_text, "from", errors) if start_text else None
    end = _month(end_text, "to", errors) if end_text else this_month()
    if start is None and "from" not in errors:
        errors["from"] = _("Give the first month as well.")
    if errors:
        raise ValidationError(errors)
    if end > this_month():
        raise ValidationError({"to": _("This month has not come yet.")})
    if start > end:
        raise ValidationError({"to": _("The end must not be before the start.")})
    if len(Period(start, end).months) > MAX_MONTHS:
        raise ValidationError({"from": _("Choose at most ten years.")})
    return Period(start, end)


def _month(text: str, field: str, errors: dict) -> date | None:
    match = _MONTH.match(text)
    try:
        if not match:
            raise ValueError
        year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
        value = date(year, month, day)
    except ValueError:
        errors[field] = _("Enter a month as YYYY-MM (or a date as YYYY-MM-DD).")
        return None
    if value < EARLIEST:
        errors[field] = _("Figures start in January 2000.")
        return None
    return first_of_month(value)
