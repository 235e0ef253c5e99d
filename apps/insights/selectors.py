"""Reads of the rollups as plain, chart-ready data, every figure released through apps/insights/release.py.

The breach page, the home page, the organisation dashboards, the stats API, the CSV exports and (later) the
notices all read their figures here; nothing here scans the raw reports, and no count leaves this module
without being released (hidden below K people, else consistently perturbed). Each breakdown is a "line" of
cells: read from the all-time cells, or from each month's cells, each released on its own before the
published values are added up (so a period's figure is the sum of its months' published figures).
"""

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.accounts.models import Membership
from apps.breaches.models import Exposure
from apps.insights import cache
from apps.insights.cells import ALL, DAY, MONTH
from apps.insights.models import ALL_TIME, ANY, ContactRollup, Facet, FacetRollup, NumberRollup, Scope
from apps.insights.periods import Period, add_months, first_of_month, this_month
from apps.insights.release import Cell, SelectionTooNarrow, min_people, people_count, people_released, release
from apps.insights.scopes import scope_for
from apps.phones.enrich import LineType, country_name
from apps.reports.models import Brand, CallerNumber, Channel, Script

TIMELINE_MAX_DAYS = 3 * 366
TOP_NUMBERS = 10


@dataclass(frozen=True)
class Selection:
    """What a set of figures is about: whose contacts (scope), which months, which channel."""

    scope: Scope | None  # None: no report was ever counted for these people
    period: Period = field(default_factory=Period)
    channel: str = ANY
    # Rows already read for this selection (one query for all four facets), so statistics() reads each once.
    read: dict = field(default_factory=dict, compare=False, repr=False)

    def cells(self, model):
        """The stored cells of this selection's period (all-time cells, or one per month)."""
        rows = model.objects.filter(scope=self.scope)
        if self.period.all_time:
            return rows.filter(grain=ALL, period=ALL_TIME)
        return rows.filter(grain=MONTH, period__in=self.period.months)


# --- Lines ---------------------------------------------------------------------------------------------------


def combine(atoms: Iterable[tuple[date, str, int, int, int]], *, all_time: bool) -> list[Cell]:
    """Cells of one line from stored (period, key, reports, people, cell key) rows: each stored cell released
    on its own, then the published contacts added up per key. People are published only for a single
    all-time cell (distinct people do not add up across months)."""
    contacts: dict[str, int] = defaultdict(int)
    people: dict[str, int | None] = {}
    hidden_somewhere: set[str] = set()
    for _period, key, reports, count, cell_key in atoms:
        cell = release(key, reports, count, cell_key)
        if cell.hidden:
            hidden_somewhere.add(key)
        else:
            contacts[key] += cell.contacts
            people[key] = cell.people
    shown = [
        Cell(key, n, people[key] if all_time else None, partial=key in hidden_somewhere) for key, n in contacts.items()
    ]
    shown.sort(key=lambda c: (-c.contacts, c.key))
    hidden = sorted(hidden_somewhere - set(contacts))
    return shown + [Cell(key, None, None, hidden=True) for key in hidden]


def _as_rows(cells: list[Cell], label) -> list[dict]:
    return [
        {
            "key": c.key,
            "label": label(c.key),
            "contacts": c.contacts,
            "people": c.people,
            "hidden": c.hidden,
            "partial": c.partial,
        }
        for c in cells
    ]


# --- Labels --------------------------------------------------------------------------------------------------


def country_label(code: str) -> str:
    if not code:
        return _("Unknown country")
    return country_name(code, translation.get_language() or "en") or code


def channel_label(code: str) -> str:
    return str(dict(Channel.choices).get(code, code))


def script_label(code: str) -> str:
    return str(dict(Script.choices).get(code, code)) if code else _("Not said")


def line_type_label(code: str) -> str:
    return str(dict(LineType.choices).get(code or "unknown", code))


def carrier_label(value: str) -> str:
    country, _sep, carrier = value.partition(":")
    where = country_label(country)
    return f"{carrier} ({where})" if carrier else _("Carrier not known (%(country)s)") % {"country": where}


def hour_label(value: str) -> str:
    weekday, hour = divmod(int(value), 100)
    return f"{weekday}-{hour:02d}"


# --- The figures ---------------------------------------------------------------------------------------------


def totals(selection: Selection) -> Cell:
    """The selection's contacts and (all time) people; refuses a selection of fewer than K people."""
    if selection.scope is None:
        return Cell("total", 0, 0)
    rows = (
        selection.cells(ContactRollup)
        .filter(channel=selection.channel, country=ANY, script=ANY)
        .values_list("period", "reports", "reporters", "ckey")
    )
    cells = combine(((p, "total", r, n, c) for p, r, n, c in rows), all_time=selection.period.all_time)
    if not cells:
        return Cell("total", 0, 0)
    if cells[0].hidden:
        raise SelectionTooNarrow
    return cells[0]


def contacts_by_channel(selection: Selection) -> list[dict]:
    rows = selection.cells(ContactRollup).filter(country=ANY, script=ANY).exclude(channel=ANY)
    if selection.channel != ANY:
        rows = rows.filter(channel=selection.channel)
    atoms = rows.values_list("period", "channel", "reports", "reporters", "ckey")
    return _as_rows(combine(atoms, all_time=selection.period.all_time), channel_label)


def contacts_by_country(selection: Selection) -> list[dict]:
    rows = selection.cells(ContactRollup).filter(channel=selection.channel, script=ANY).exclude(country=ANY)
    atoms = rows.values_list("period", "country", "reports", "reporters", "ckey")
    return _as_rows(combine(atoms, all_time=selection.period.all_time), country_label)


def contacts_by_script(selection: Selection) -> list[dict]:
    rows = selection.cells(ContactRollup).filter(channel=selection.channel, country=ANY).exclude(script=ANY)
    atoms = rows.values_list("period", "script", "reports", "reporters", "ckey")
    return _as_rows(combine(atoms, all_time=selection.period.all_time), script_label)


def _facet(selection: Selection, facet: str) -> list[Cell]:
    if "facets" not in selection.read:
        rows = selection.cells(FacetRollup).filter(facet__in=Facet.values, channel=selection.channel)
        atoms = defaultdict(list)
        for facet_, period, value, reports, people, cell_key in rows.values_list(
            "facet", "period", "value", "reports", "reporters", "ckey"
        ):
            atoms[facet_].append((period, value, reports, people, cell_key))
        selection.read["facets"] = atoms
    return combine(selection.read["facets"][facet], all_time=selection.period.all_time)


def contacts_by_line_type(selection: Selection) -> list[dict]:
    return _as_rows(_facet(selection, Facet.LINE_TYPE), line_type_label)


def contacts_by_carrier(selection: Selection) -> list[dict]:
    return _as_rows(_facet(selection, Facet.CARRIER), carrier_label)


def contacts_by_brand(selection: Selection) -> dict:
    """Brands of the curated list (keyed by slug, labelled in the page's language); a hidden one is not even
    named, only counted."""
    cells = _facet(selection, Facet.BRAND)
    shown = [c for c in cells if not c.hidden]
    names = {brand.slug: brand.name for brand in Brand.objects.filter(slug__in=[c.key for c in shown])}
    return {"rows": _as_rows(shown, lambda slug: names.get(slug, slug)), "hidden": len(cells) - len(shown)}


def contacts_by_hour(selection: Selection) -> list[dict]:
    """168 cells, ISO weekday 1–7 × hour 0–23, in that order; cells without contacts are zero."""
    found = {c.key: c for c in _facet(selection, Facet.HOUR)}
    rows = []
    for weekday in range(1, 8):
        for hour in range(24):
            cell = found.get(str(weekday * 100 + hour), Cell("", 0, 0))
            rows.append(
                {
                    "weekday": weekday,
                    "hour": hour,
                    "contacts": cell.contacts,
                    "hidden": cell.hidden,
                    "partial": cell.partial,
                }
            )
    return rows


def contacts_by_day(selection: Selection, *, first: date, last: date) -> list[dict]:
    """Contacts per day from `first` to `last`, each day released on its own (hidden below K people)."""
    if selection.scope is None:
        rows = []
    else:
        rows = ContactRollup.objects.filter(
            scope=selection.scope, grain=DAY, channel=selection.channel, country=ANY, script=ANY,
            period__range=(first, last),
        ).values_list("period", "reports", "reporters", "ckey")  # fmt: skip
    cells = {day.isoformat(): release(day.isoformat(), r, n, c) for day, r, n, c in rows}
    days, day = [], first
    while day <= last:
        cell = cells.get(day.isoformat(), Cell("", 0, 0))
        days.append({"day": day, "contacts": cell.contacts, "hidden": cell.hidden})
        day += timedelta(days=1)
    return days


def top_numbers(selection: Selection, *, limit: int = TOP_NUMBERS) -> list[dict]:
    """Public caller numbers with the most contacts among these people, each counted from its released cells
    (of K people or more), best first by the published figure."""
    if selection.scope is None:
        return []
    cells = selection.cells(NumberRollup).filter(channel=selection.channel)
    ranked, numbers = _ranked_public_numbers(cells, limit)
    atoms = defaultdict(list)
    rows = cells.filter(caller__in=[r["caller"] for r in ranked]).values_list(
        "caller", "period", "reports", "reporters", "ckey"
    )
    for caller, period, reports, people, cell_key in rows:
        atoms[caller].append((period, "number", reports, people, cell_key))
    released = []
    for r in ranked:
        cell = combine(atoms[r["caller"]], all_time=selection.period.all_time)[0]
        number = numbers[r["caller"]]
        released.append(
            {
                "e164": number.e164,
                "country": number.country,
                "country_label": country_label(number.country),
                "carrier": number.carrier,
                "line_type": line_type_label(number.line_type),
                "contacts": cell.contacts,
                "people": cell.people,
            }
        )
    released.sort(key=lambda row: (-row["contacts"], row["e164"]))
    return released


def _ranked_public_numbers(cells, limit: int) -> tuple[list[dict], dict[int, CallerNumber]]:
    """The public numbers with the most contacts in cells of at least K people, best first, and their rows.

    Ranked first and checked for being public after (a page at a time, until `limit` are found): joining every
    public number before ranking cost a scan of all numbers per request at 200,000 numbers. The index
    insights_number_top holds the cells of 2 people or more (min_people() is at least 2)."""
    ranking = (
        cells.filter(reporters__gte=min_people())
        .values("caller")
        .annotate(contacts=Sum("reports"))
        .order_by("-contacts", "caller")
    )
    ranked, numbers, start, page = [], {}, 0, 2 * limit
    while len(ranked) < limit:
        rows = list(ranking[start : start + page])
        found = CallerNumber.objects.public().in_bulk([r["caller"] for r in rows])
        ranked += [r for r in rows if r["caller"] in found][: limit - len(ranked)]
        numbers.update(found)
        if len(rows) < page:
            break
        start, page = start + page, page * 2
    return ranked, numbers


def registered_people(*, breach=None, organisation=None) -> dict:
    """Proven people registered on the site behind a scope's figures, released like every other count (cached:
    apps/insights/cache.py). For a breach, those found in the leaked data are counted apart too."""
    parts = (breach and breach.pk, organisation and organisation.pk, min_people())
    return cache.remember("registered", parts, lambda: _registered_people(breach=breach, organisation=organisation))


def _registered_people(*, breach, organisation) -> dict:
    # Only proven people: a declaration is one click away, so declared people are counted nowhere public. The
    # people a scope's figures count are the living contributors listed in it (apps/insights/scopes.py: proven in
    # the breach, active in the organisation, both, or either for everyone), whose number and record keys' sum
    # the scope row keeps: one row read instead of one HMAC per person (about 150 ms for everyone at 100,000).
    scope = scope_for(breach=breach, organisation=organisation)
    if scope is not None:
        total = people_released(scope.people, scope.people_ckey)
    else:  # no rollups update has listed anybody here yet (a new organisation): the few people counted one by one
        total = people_count(_proven_people(breach=breach, organisation=organisation))
    if breach is None:
        return {"total": total}
    # Those found in the leaked data are a part of the breach's people that no scope lists: counted here.
    matched = _proven_people(breach=breach, organisation=organisation, exposures=Exposure.objects.matched())
    return {"total": total, "matched": people_count(matched)}


def _proven_people(*, breach, organisation, exposures=None) -> set[int]:
    """The ids of the people a scope's figures count (apps/insights/scopes.py), read from exposures and
    memberships: `exposures` (proven ones by default) in the breach, active members of the organisation, both,
    or (neither given) either."""
    exposures = Exposure.objects.proven() if exposures is None else exposures
    members = Membership.objects.active()
    if breach is None:
        if organisation is not None:
            return set(members.filter(organisation=organisation).values_list("person_id", flat=True))
        return set(exposures.values_list("person_id", flat=True)) | set(members.values_list("person_id", flat=True))
    exposures = exposures.filter(breach=breach)
    if organisation is not None:
        exposures = exposures.filter(person__in=members.filter(organisation=organisation).values("person"))
    return set(exposures.values_list("person_id", flat=True))


def trend(selection: Selection, *, contacts: int | None = None) -> dict:
    """Contacts in the selection's period against the period before (all time: the last 3 months).

    `contacts`: the selection's total, when the caller has read it already (not for all time)."""
    current, previous = selection.period.trend_periods()
    values = {}
    for name, period in (("current", current), ("previous", previous)):
        if name == "current" and contacts is not None and not selection.period.all_time:
            values[name] = contacts
            continue
        try:
            values[name] = totals(Selection(selection.scope, period, selection.channel)).contacts
        except SelectionTooNarrow:
            values[name] = None
    change = None
    if values["current"] is not None and values["previous"]:
        change = round(100 * (values["current"] - values["previous"]) / values["previous"])
    return {
        "current": {**current.as_dict(), "contacts": values["current"]},
        "previous": {**previous.as_dict(), "contacts": values["previous"]},
        "change_percent": change,
    }


def timeline_span(selection: Selection, *, markers: Iterable[date] = ()) -> tuple[date, date]:
    """The days a timeline shows: the period's months; for all time, from the first month with contacts
    (or two months before the earliest marker) to today, at most three years."""
    today = timezone.localdate()
    if not selection.period.all_time:
        return selection.period.start, min(selection.period.last_day, today)
    starts = [add_months(first_of_month(m), -2) for m in markers]
    if selection.scope is not None:
        first = (
            ContactRollup.objects.filter(scope=selection.scope, grain=MONTH, channel=ANY, country=ANY, script=ANY)
            .order_by("period")
            .values_list("period", flat=True)
            .first()
        )
        if first:
            starts.append(first)
    start = min(starts, default=add_months(this_month(), -2))
    return max(start, today - timedelta(days=TIMELINE_MAX_DAYS)), today


def statistics(*, breach=None, organisation=None, period: Period | None = None, channel: str = ANY) -> dict:
    """Every figure of a breach page, dashboard or stats API answer, suppressed; raises SelectionTooNarrow.
    Cached until the rollups change (apps/insights/cache.py), refusals included."""
    period = period or Period()
    parts = (breach and breach.pk, organisation and organisation.pk, period, channel, min_people())
    compute = functools.partial(_statistics, breach=breach, organisation=organisation, period=period, channel=channel)
    return cache.remember("statistics", parts, compute, remember_errors=(SelectionTooNarrow,))


def _statistics(*, breach, organisation, period: Period, channel: str) -> dict:
    selection = Selection(scope_for(breach=breach, organisation=organisation), period, channel)
    total = totals(selection)
    markers = [d for d in (breach.occurred_on, breach.discovered_on, breach.disclosed_on) if d] if breach else []
    first, last = timeline_span(selection, markers=markers)
    return {
        "period": selection.period.as_dict(),
        "channel": channel,
        "min_people": min_people(),
        "registered": registered_people(breach=breach, organisation=organisation),
        "totals": {"contacts": total.contacts, "people": total.people if selection.period.all_time else None},
        "timeline": contacts_by_day(selection, first=first, last=last),
        "channels": contacts_by_channel(selection),
        "countries": contacts_by_country(selection),
        "scripts": contacts_by_script(selection),
        "brands": contacts_by_brand(selection),
        "line_types": contacts_by_line_type(selection),
        "carriers": contacts_by_carrier(selection),
        "hours": contacts_by_hour(selection),
        "top_numbers": top_numbers(selection),
        "trend": trend(selection, contacts=total.contacts),
    }
