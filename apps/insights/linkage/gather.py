"""Reading the database into the inputs of the linkage statistics (stats.py) for one breach and period.

Who is observed: the breach's *members* are the active people with a proven exposure to it (a dataset match,
the organisation's invitation or a case officer's confirmation: Exposure.objects.proven(); declarations never
count), its *controls* the active people, case officers aside, with no exposure to it at all (a declared one
included: those may be members) nor a proven one to another breach that occurred within the period (their own
surge would hide this one's). Each person is observed from their reporting-since day (User.observed_since)
to the period's end, and never before the period starts. A report before its reporter's window counts in the
totals but not in a rate: nothing says the person reported everything then.

Everything that grows with the reports is aggregated in SQL (per person and day, per number and person); what
comes back to Python grows with the people and the numbers, not with the reports. The queries run on SQLite
and PostgreSQL alike.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import numpy as np
from django.conf import settings
from django.db import connections, transaction
from django.db.models import Count, F, Max, Min, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from apps.accounts.models import Membership, User
from apps.breaches.models import Breach, Exposure
from apps.insights.cells import local_zone
from apps.reports.models import CallerNumber, Channel, ContactReport


class LocalDate(TruncDate):
    """The local day (settings.TIME_ZONE) of a datetime column, as TruncDate gives it. On SQLite TruncDate calls
    a Python function per row (most of the time of a breach's evidence on 40,000 reports); SQLite's own
    date(…, 'localtime') gives the same day natively, in the zone of the TZ variable, which Django sets from
    TIME_ZONE at start-up. The fraction of a second is cut first: SQLite would round 23:59:59.9996 up."""

    def __init__(self, expression, **extra):
        super().__init__(expression, tzinfo=local_zone(), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        if os.environ.get("TZ") != settings.TIME_ZONE:  # Django did not set it (Windows): the portable way
            return super().as_sqlite(compiler, connection, **extra_context)
        sql, params = compiler.compile(self.lhs)
        return f"date(substr({sql}, 1, 19), 'localtime')", params


# One person's contacts count at most this many times a day in a rate: 200 reports a day are allowed
# (reports.limits), and one account must not be able to draw a surge on its own.
MAX_CONTACTS_PER_PERSON_DAY = 5


@dataclass(frozen=True)
class Period:
    """Whole days from `start` to `end`, both included, in the site's time zone."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def index(self, day: date) -> int:
        return (day - self.start).days

    def day(self, index: int) -> date:
        return self.start + timedelta(days=index)

    def bounds(self) -> tuple[datetime, datetime]:
        """The first instant of `start` and the first instant after `end`, as aware datetimes."""
        zone = local_zone()
        first = timezone.make_aware(datetime.combine(self.start, time.min), zone)
        after = timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min), zone)
        return first, after


@dataclass
class Cohort:
    """People observed in the period: ids sorted, each window from window_start (a day index) to the end."""

    person_ids: np.ndarray
    window_start: np.ndarray
    without_window: int  # people of the group whose window starts after the period ends

    @property
    def people(self) -> int:
        return len(self.person_ids)

    def person_days(self, days: int) -> np.ndarray:
        """People observed on each day of the period: a person counts from their window's first day on."""
        starts = np.bincount(self.window_start, minlength=days)[:days]
        return np.cumsum(starts).astype(float)


@dataclass
class Daily:
    """A group's contacts per day, in windows and capped per person-day, with its person-days."""

    contacts: np.ndarray
    person_days: np.ndarray
    contacts_uncapped: int = 0  # the same reports without the per-person-day cap

    def between(self, first: int, stop: int) -> tuple[int, float]:
        """(contacts, person-days) of days first ≤ d < stop."""
        first, stop = max(first, 0), max(min(stop, len(self.contacts)), 0)
        if first >= stop:
            return 0, 0.0
        return int(self.contacts[first:stop].sum()), float(self.person_days[first:stop].sum())


@dataclass
class NumberContacts:
    """What number_targets() reads: one row per (number, person) with the first and last day of its contacts
    in the person's window, from the breach's occurrence on (a breach explains no contact before it)."""

    caller_ids: list[int]  # the numbers, indexed by `number`
    number: np.ndarray
    person: np.ndarray  # index into Inputs.people
    day: np.ndarray


@dataclass
class Inputs:
    breach: Breach
    period: Period
    members: Cohort
    controls: Cohort
    member_daily: Daily
    control_daily: Daily
    member_reports: int  # every visible report of the members in the period, windows ignored
    control_reports: int
    first_report: date | None  # the span of the reports counted in the rates
    last_report: date | None
    excluded_breaches: list[str] = field(default_factory=list)  # whose people are kept out of the controls
    # Everybody observed, for the numbers' targets: members, then every registered person outside the breach.
    people: np.ndarray = field(default_factory=lambda: np.array([], dtype=np.int64))
    window_start: np.ndarray = field(default_factory=lambda: np.array([], dtype=np.int64))
    is_member: np.ndarray = field(default_factory=lambda: np.array([], dtype=bool))


# --- Who is observed --------------------------------------------------------------------------------------


def members_of(breach: Breach) -> QuerySet[User]:
    """Active people with a proven exposure to the breach (dataset match, invitation, officer-confirmed)."""
    proven = Exposure.objects.proven().filter(breach=breach).values("person_id")
    return User.objects.filter(is_active=True, pk__in=proven)


def overlapping_breaches(breach: Breach, period: Period) -> QuerySet[Breach]:
    """The other breaches that occurred within the period: their people may be in a surge of their own."""
    return Breach.objects.exclude(pk=breach.pk).filter(occurred_on__gte=period.start, occurred_on__lte=period.end)


def proven_people() -> QuerySet[User]:
    """People whom someone other than themselves vouches for: a proven exposure to any breach, or an active
    membership of an organisation (the rule of the national scope, apps.insights.scopes). Only they count in a
    published figure, so accounts made in a minute can neither lift the controls over K nor move their rate."""
    proven = Exposure.objects.proven().values("person_id")
    members = Membership.objects.active().values("person_id")
    return User.objects.filter(Q(pk__in=proven) | Q(pk__in=members))


def controls_of(breach: Breach, period: Period | None = None) -> QuerySet[User]:
    """Proven people (proven_people()), active, case officers aside, with no exposure to the breach at all
    (declared ones included) and, given the period, no proven exposure to a breach that occurred within it
    (overlapping_breaches())."""
    exposed = Exposure.objects.filter(breach=breach).values("person_id")
    controls = (
        User.objects.filter(is_active=True, is_staff=False)
        .filter(pk__in=proven_people().values("pk"))
        .exclude(pk__in=exposed)
    )
    if period is not None:
        overlapping = Exposure.objects.proven().filter(breach__in=overlapping_breaches(breach, period))
        controls = controls.exclude(pk__in=overlapping.values("person_id"))
    return controls


def _observed_since():
    """A person's first observed day in SQL: reporting_since, else the local day they signed up."""
    return Coalesce("reporting_since", LocalDate("date_joined"))


def cohort(people: QuerySet[User], period: Period) -> Cohort:
    """The people with their windows in the period (one row per person: grows with people, not reports)."""
    ids, starts, without = [], [], 0
    for pk, since in people.annotate(since=_observed_since()).values_list("pk", "since").order_by("pk"):
        since = _as_date(since)
        if since > period.end:
            without += 1
            continue
        ids.append(pk)
        starts.append(max(period.index(since), 0))
    return Cohort(np.array(ids, dtype=np.int64), np.array(starts, dtype=np.int64), without)


# --- Contacts ---------------------------------------------------------------------------------------------


def reports_of(people: QuerySet[User], period: Period) -> QuerySet[ContactReport]:
    """The visible reports these people made about contacts in the period, their windows ignored."""
    first, after = period.bounds()
    return ContactReport.objects.visible().filter(
        reporter__in=people.values("pk"), occurred_at__gte=first, occurred_at__lt=after
    )


def in_windows(reports: QuerySet[ContactReport]) -> QuerySet[ContactReport]:
    """The reports on or after their reporter's first observed day, each with its local `day`."""
    since = Coalesce("reporter__reporting_since", LocalDate("reporter__date_joined"))
    return reports.annotate(day=LocalDate("occurred_at")).filter(day__gte=since)


def daily(people: QuerySet[User], group: Cohort, period: Period) -> Daily:
    """Contacts per day in the people's windows, each person counting at most MAX_CONTACTS_PER_PERSON_DAY a
    day, summed in SQL over the per-person-day counts."""
    per_person_day = (
        in_windows(reports_of(people, period)).values("reporter_id", "day").annotate(n=Count("pk")).order_by()
    )
    contacts = np.zeros(period.days, dtype=np.int64)
    uncapped = 0
    sql, params = per_person_day.query.sql_with_params()
    cap = MAX_CONTACTS_PER_PERSON_DAY
    with connections[per_person_day.db].cursor() as cursor:
        cursor.execute(
            # The inner query is the ORM's own, its values bound as parameters (Django has no FROM-subquery).
            f"SELECT day, SUM(CASE WHEN n > %s THEN %s ELSE n END), SUM(n) FROM ({sql}) per_person_day GROUP BY day",  # noqa: S608
            [cap, cap, *params],
        )
        for day, capped, total in cursor.fetchall():
            index = period.index(_as_date(day))
            if 0 <= index < period.days:
                contacts[index] += int(capped)
                uncapped += int(total)
    return Daily(contacts=contacts, person_days=group.person_days(period.days), contacts_uncapped=uncapped)


def gather(breach: Breach, period: Period) -> Inputs:
    """Members and controls with their windows, their daily contacts and person-days, and the reports' span."""
    members, controls = members_of(breach), controls_of(breach, period)
    member_cohort, control_cohort = cohort(members, period), cohort(controls, period)
    counted = in_windows(reports_of(members, period) | reports_of(controls, period))
    span = counted.aggregate(first=Min("day"), last=Max("day"))
    inputs = Inputs(
        breach=breach,
        period=period,
        members=member_cohort,
        controls=control_cohort,
        member_daily=daily(members, member_cohort, period),
        control_daily=daily(controls, control_cohort, period),
        member_reports=reports_of(members, period).count(),
        control_reports=reports_of(controls, period).count(),
        first_report=_as_date(span["first"]) if span["first"] else None,
        last_report=_as_date(span["last"]) if span["last"] else None,
        excluded_breaches=sorted(overlapping_breaches(breach, period).values_list("slug", flat=True)),
    )
    # The numbers' targets are counted among everybody observed: people of overlapping breaches stay in (which
    # breach explains a number is told apart by the people exclusive to each: compute._explained_by()).
    others = cohort(controls_of(breach), period) if inputs.excluded_breaches else control_cohort
    inputs.people = np.concatenate([member_cohort.person_ids, others.person_ids])
    inputs.window_start = np.concatenate([member_cohort.window_start, others.window_start])
    inputs.is_member = np.concatenate([np.ones(member_cohort.people, dtype=bool), np.zeros(others.people, dtype=bool)])
    return inputs


# --- Numbers ----------------------------------------------------------------------------------------------


def _since_breach(inputs: Inputs) -> QuerySet[ContactReport]:
    """Observed people's reports in their windows, from the day the breach occurred to the period's end."""
    breach, period = inputs.breach, inputs.period
    observed = reports_of(members_of(breach), period) | reports_of(controls_of(breach), period)
    return in_windows(observed).filter(day__gte=max(breach.occurred_on, period.start))


def number_contacts(inputs: Inputs) -> NumberContacts:
    """Each (number, observed person) pair with its first and last day: two contacts for number_targets(),
    which counts distinct people and the number's active span, so this is all it needs of the reports."""
    pairs = (
        _since_breach(inputs)
        .values("caller_id", "reporter_id")
        .annotate(first=Min("day"), last=Max("day"))
        .order_by()
        .values_list("caller_id", "reporter_id", "first", "last")
    )
    # Read with one plain cursor, a chunk at a time, and mapped with numpy: a row per (number, person) is
    # millions of rows for a breach of the 10M-report bench, and the ORM's iterator (a WITH HOLD server-side
    # cursor, a Python loop per row) took most of the evidence's time; a whole fetchall() held a gigabyte of
    # tuples (bench/linkage_evidence.py).
    order = np.argsort(inputs.people, kind="stable")
    sorted_people = inputs.people[order]
    callers, persons, firsts, lasts = [], [], [], []
    sql, params = pairs.query.sql_with_params()
    with _streaming(pairs.db), connections[pairs.db].chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(100_000):
            caller, reporter, first, last = zip(*rows, strict=True)
            del rows
            reporter = np.array([-1 if r is None else r for r in reporter], dtype=np.int64)
            at = np.minimum(np.searchsorted(sorted_people, reporter), max(len(sorted_people) - 1, 0))
            kept = (sorted_people[at] == reporter) if len(sorted_people) else np.zeros(len(reporter), dtype=bool)
            callers.append(np.array(caller, dtype=np.int64)[kept])
            persons.append(order[at[kept]])
            firsts.append(_day_indexes(first, inputs.period)[kept])
            lasts.append(_day_indexes(last, inputs.period)[kept])
    empty = np.array([], dtype=np.int64)
    if not callers:
        return NumberContacts(caller_ids=[], number=empty, person=empty, day=empty)
    caller, person, first, last = (np.concatenate(parts) for parts in (callers, persons, firsts, lasts))
    # Numbers indexed in the order they first come back, as caller_ids lists them.
    unique, first_at, inverse = np.unique(caller, return_index=True, return_inverse=True)
    by_appearance = np.argsort(first_at, kind="stable")
    rank = np.empty(len(unique), dtype=np.int64)
    rank[by_appearance] = np.arange(len(unique))
    number = rank[inverse]
    again = last != first  # a pair seen on one day only is one contact
    return NumberContacts(
        caller_ids=unique[by_appearance].tolist(),
        number=np.concatenate([number, number[again]]),
        person=np.concatenate([person, person[again]]),
        day=np.concatenate([first, last[again]]),
    )


def _streaming(alias: str):
    """A transaction around a streamed read: Django's server-side cursor outside one is WITH HOLD, which
    PostgreSQL materialises whole before the first row (seconds on the 10M-report bench), while a plain client
    cursor holds every row in memory at once (gigabytes there). Inside one, rows come a chunk at a time."""
    return transaction.atomic(using=alias)


def _day_indexes(values, period: Period) -> np.ndarray:
    """Period day indexes of dates as the database returns them (dates on PostgreSQL, text on SQLite)."""
    if isinstance(values[0], datetime) or not isinstance(values[0], date):
        values = [_as_date(v) for v in values]
    days = np.array(values, dtype="datetime64[D]")
    return (days - np.datetime64(period.start, "D")).astype(np.int64)


def other_memberships(inputs: Inputs, person_indexes: set[int], *, min_targets: int) -> dict[str, np.ndarray]:
    """The other breaches holding at least `min_targets` of these observed people (the linked numbers' targets)
    as proven members, each as a boolean array over Inputs.people: the candidates that could explain a number's
    targets instead. Read once for all the linked numbers."""
    targets = [int(inputs.people[i]) for i in person_indexes]
    counts = (
        Exposure.objects.proven()
        .filter(person_id__in=targets)
        .exclude(breach=inputs.breach)
        .values("breach_id")
        .annotate(n=Count("person_id", distinct=True))
        .filter(n__gte=min_targets)
    )
    candidates = [row["breach_id"] for row in counts]
    if not candidates:
        return {}
    index_of_person = {int(pk): i for i, pk in enumerate(inputs.people)}
    slugs = dict(Breach.objects.filter(pk__in=candidates).values_list("pk", "slug"))
    arrays = {slug: np.zeros(len(inputs.people), dtype=bool) for slug in slugs.values()}
    rows = Exposure.objects.proven().filter(breach_id__in=candidates).values_list("breach_id", "person_id")
    with _streaming(rows.db):
        for breach_id, person_id in rows.distinct().iterator(chunk_size=10_000):
            i = index_of_person.get(person_id)
            if i is not None:
                arrays[slugs[breach_id]][i] = True
    return arrays


@dataclass(frozen=True)
class NumberFacts:
    e164: str
    country: str
    carrier: str
    line_type: str
    scripts: frozenset[str]
    channels: frozenset[str]
    first_seen: date
    last_seen: date


def number_facts(inputs: Inputs, caller_ids: list[int]) -> dict[int, NumberFacts]:
    """Enrichment, scripts, channels and first and last day of activity (observed people's reports in their
    windows since the breach) of these numbers."""
    reports = _since_breach(inputs).filter(caller_id__in=caller_ids)
    scripts, channels = defaultdict(set), defaultdict(set)
    for caller_id, script, channel in reports.values_list("caller_id", "script", "channel").distinct():
        if script:
            scripts[caller_id].add(script)
        channels[caller_id].add(channel)
    spans = {
        row["caller_id"]: (row["first"], row["last"])
        for row in reports.values("caller_id").annotate(first=Min("day"), last=Max("day")).order_by()
    }
    facts = {}
    for caller in CallerNumber.objects.filter(pk__in=caller_ids).only("e164", "country", "carrier", "line_type"):
        first, last = spans.get(caller.pk, (inputs.period.start, inputs.period.end))
        facts[caller.pk] = NumberFacts(
            e164=caller.e164,
            country=caller.country,
            carrier=caller.carrier,
            line_type=caller.line_type,
            scripts=frozenset(scripts[caller.pk]),
            channels=frozenset(channels[caller.pk]),
            first_seen=_as_date(first),
            last_seen=_as_date(last),
        )
    return facts


# --- What the callers knew, and how they called -----------------------------------------------------------


def members_caller_knew(inputs: Inputs) -> tuple[list[frozenset[str]], list[int]]:
    """One set of data categories per member contact since the breach (in windows): what the caller knew, and
    the person who reported each contact. Only the reports that say something are read one by one; the others
    are the same empty set, counted per person in SQL."""
    reports = _since_breach(inputs).filter(reporter__in=members_of(inputs.breach).values("pk"))
    contacts, reporters = [], []
    for person, known in reports.exclude(caller_knew=[]).values_list("reporter_id", "caller_knew"):
        contacts.append(frozenset(known))
        reporters.append(person)
    for person, n in (
        reports.filter(caller_knew=[])
        .values("reporter_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("reporter_id", "n")
    ):
        contacts.extend([frozenset()] * n)
        reporters.extend([person] * n)
    return contacts, reporters


@dataclass(frozen=True)
class Event:
    person: int
    caller_id: int
    occurred_at: datetime
    channel: str
    silent_seconds: int | None
    background_noise: bool | None


def contact_events(inputs: Inputs, caller_ids: list[int]) -> list[Event]:
    """For the silent-call rules: every contact of these numbers (the linked ones) with observed people since
    the breach, and the members' silent calls from any other number."""
    members = members_of(inputs.breach).values("pk")
    reports = _since_breach(inputs).filter(
        Q(caller_id__in=caller_ids) | Q(channel=Channel.SILENT_CALL, reporter__in=members)
    )
    rows = reports.values_list(
        "reporter_id", "caller_id", "occurred_at", "channel", "silent_seconds", "background_noise"
    ).order_by(F("occurred_at").asc())
    with _streaming(rows.db):
        return [Event(*row) for row in rows.iterator(chunk_size=10_000)]


def _as_date(value) -> date:
    """SQLite returns dates of expressions as text, PostgreSQL as dates."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
