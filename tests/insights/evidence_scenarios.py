"""Planted scenarios written through the ORM for the linkage evidence tests: people with windows and breach
memberships, a background of contacts from decoy numbers that call everybody, and (when asked) a surge of
contacts to the members from a block of campaign numbers, starting on a known day."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import numpy as np

from apps.accounts.models import Membership, User
from apps.breaches.models import Breach, ExposedIdentifier, Exposure, Organisation
from apps.reports.models import CallerNumber, ContactReport
from apps.reports.services import caller_number_get_or_create

PERIOD_START = date(2024, 10, 1)
PERIOD_END = date(2025, 3, 31)
OCCURRED = date(2025, 1, 1)
CAMPAIGN_BLOCK = "+2348031000"  # ten numbers +234803100000 … +234803100009, one block


@dataclass
class Planted:
    breach: Breach
    members: list[User]
    controls: list[User]
    onset: date | None
    campaign: list[str] = field(default_factory=list)
    decoys: list[str] = field(default_factory=list)
    reports: int = 0


def make_breach(slug="contest", *, occurred=OCCURRED, disclosed=None, with_dataset=True, organisation=None) -> Breach:
    organisation = organisation or Organisation.objects.get_or_create(slug="acme", defaults={"name": "Acme"})[0]
    breach = Breach.objects.create(
        organisation=organisation, slug=slug, title=slug, occurred_on=occurred, disclosed_on=disclosed,
        data_categories=["name", "phone", "contest_details"],
    )  # fmt: skip
    if with_dataset:
        ExposedIdentifier.objects.create(digest=slug.encode().ljust(32, b"-")[:32], kind="phone", breach=breach)
    return breach


def make_people(
    prefix: str, n: int, *, joined: date = PERIOD_START, breaches=(), established="dataset_match", proven=True
):
    """n people observed from `joined`, exposed to `breaches`. People in no breach are members of another
    organisation (someone vouches for them, so they count as controls) unless `proven` is False."""
    people = User.objects.bulk_create(
        [
            User(
                email=f"{prefix}{i}@example.org",
                date_joined=datetime(joined.year, joined.month, joined.day, 9, tzinfo=UTC),
            )
            for i in range(n)
        ]
    )
    Exposure.objects.bulk_create(
        [Exposure(person=p, breach=b, established=established) for p in people for b in breaches]
    )
    if proven and not breaches:
        elsewhere = Organisation.objects.get_or_create(slug="elsewhere", defaults={"name": "Elsewhere"})[0]
        Membership.objects.bulk_create([Membership(person=p, organisation=elsewhere) for p in people])
    return people


def write_reports(rows) -> int:
    """rows: (person, e164, local datetime, channel, extra fields) -> bulk-created visible reports."""
    callers: dict[str, CallerNumber] = {}
    reports = []
    for person, e164, when, channel, extra in rows:
        caller = callers.get(e164) or callers.setdefault(e164, caller_number_get_or_create(e164))
        reports.append(
            ContactReport(
                reporter=person, contributor=person.pk, caller=caller, channel=channel, occurred_at=when, **extra
            )
        )
    ContactReport.objects.bulk_create(reports, batch_size=2000)
    return len(reports)


def plant(
    *,
    seed: int = 0,
    members: int = 40,
    controls: int = 40,
    background: float = 0.04,
    surge: float | None = 0.3,
    onset_after_days: int = 19,
    slug: str = "contest",
    breach: Breach | None = None,
) -> Planted:
    """A breach with `members` proven members and `controls` people outside it, all observed from PERIOD_START;
    everyone receives `background` contacts a day from 30 decoy numbers; with `surge`, members also receive that
    many a day from ten campaign numbers of one block from OCCURRED + onset_after_days on."""
    rng = np.random.default_rng(seed)
    breach = breach or make_breach(slug)
    member_people = make_people(f"{slug}-m", members, breaches=[breach])
    control_people = make_people(f"{slug}-c", controls)
    decoys = [f"+3933{seed:02d}{i:06d}" for i in range(30)]
    campaign = [f"{CAMPAIGN_BLOCK}{i:02d}" for i in range(10)] if surge else []
    onset = OCCURRED + timedelta(days=onset_after_days) if surge else None
    rows = []
    days = (PERIOD_END - PERIOD_START).days + 1
    for person in member_people + control_people:
        for d in range(days):
            day = PERIOD_START + timedelta(days=d)
            for _ in range(rng.poisson(background)):
                rows.append((person, decoys[rng.integers(len(decoys))], _at(day, rng), "call", {}))
            if surge and person in member_people and day >= onset:
                for _ in range(rng.poisson(surge)):
                    silent = rng.random() < 0.2
                    extra = {"script": "fake_amazon_voucher", "caller_knew": ["name", "contest_details"]}
                    channel = "call"
                    if silent:
                        channel, extra = "silent_call", {"silent_seconds": 5, "background_noise": False}
                    rows.append((person, campaign[rng.integers(len(campaign))], _at(day, rng), channel, extra))
    count = write_reports(rows)
    return Planted(breach, member_people, control_people, onset, campaign, decoys, count)


def _at(day: date, rng) -> datetime:
    # 08:00-19:59 UTC is the same day in Rome: no report slips to the next local day.
    return datetime(day.year, day.month, day.day, 8 + int(rng.integers(12)), int(rng.integers(60)), tzinfo=UTC)
