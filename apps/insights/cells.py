"""Which rollup cells one report counts in: the one definition the incremental path follows.

rebuild.py computes the same cells in SQL; tests/insights/test_rollups.py proves the two agree. A cell key
does not name its scope: a contributor's report counts in every scope of the contributor, in the same cells.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings

from apps.insights.models import ALL_TIME, ANY, Facet, Grain

# Cell keys, by table:
#   ("contact", grain, period, channel, country, script)
#   ("facet", grain, period, facet, channel, value)
#   ("number", grain, period, channel, caller_id)
CellKey = tuple
# Plain strings, not the enum members: a key read back from the database must hash like the one built here.
DAY, MONTH, ALL = Grain.DAY.value, Grain.MONTH.value, Grain.ALL.value
HOUR, LINE_TYPE, CARRIER, BRAND = Facet.HOUR.value, Facet.LINE_TYPE.value, Facet.CARRIER.value, Facet.BRAND.value


@cache
def local_zone() -> ZoneInfo:
    """Days, months and hours are counted in the site's time zone (Europe/Rome), as people lived them."""
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True, slots=True)
class ReportFacts:
    """What the rollups count of one report (its caller number's enrichment included)."""

    day: date
    weekday: int  # ISO: 1 = Monday
    hour: int
    channel: str
    script: str
    brand: str
    caller_id: int
    country: str
    line_type: str
    carrier: str

    @classmethod
    def of(cls, *, occurred_at: datetime, channel, script, brand, caller_id, country, line_type, carrier):
        local = occurred_at.astimezone(local_zone())
        return cls(
            day=local.date(),
            weekday=local.isoweekday(),
            hour=local.hour,
            channel=channel,
            script=script,
            brand=brand,
            caller_id=caller_id,
            country=country,
            line_type=line_type,
            carrier=carrier,
        )

    @property
    def month(self) -> date:
        return self.day.replace(day=1)


def hour_value(weekday: int, hour: int) -> str:
    """The value of an hour-of-the-week cell: "108" is Monday, 08:00–08:59."""
    return str(weekday * 100 + hour)


def carrier_value(country: str, carrier: str) -> str:
    """Carrier names repeat across countries ("Vodafone"), so the cell names both."""
    return f"{country}:{carrier}"


def cells_of(facts: ReportFacts) -> list[CellKey]:
    """Every cell the report counts in (within each scope of its author)."""
    keys: list[CellKey] = [("number", DAY, facts.day, ANY, facts.caller_id)]
    channels = (facts.channel, ANY)
    for channel in channels:
        keys.append(("contact", DAY, facts.day, channel, ANY, ANY))
    facet_values = [
        (HOUR, hour_value(facts.weekday, facts.hour)),
        (LINE_TYPE, facts.line_type),
        (CARRIER, carrier_value(facts.country, facts.carrier)),
    ]
    if facts.brand:
        facet_values.append((BRAND, facts.brand))
    for grain, period in ((MONTH, facts.month), (ALL, ALL_TIME)):
        for channel in channels:
            for country in (facts.country, ANY):
                for script in (facts.script, ANY):
                    keys.append(("contact", grain, period, channel, country, script))
            for facet, value in facet_values:
                keys.append(("facet", grain, period, facet, channel, value))
            keys.append(("number", grain, period, channel, facts.caller_id))
    return keys


def count_cells(reports: Iterable[ReportFacts], *, only: set[CellKey] | None = None) -> Counter:
    """How many of `reports` fall in each cell (restricted to `only` when given)."""
    counts: Counter = Counter()
    for facts in reports:
        for key in cells_of(facts):
            if only is None or key in only:
                counts[key] += 1
    return counts
