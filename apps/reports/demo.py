"""Demo reports: the contacts the synthetic INPS Servizi members report after the November 2024 leak.

Campaigns follow DOMAIN.md: a fake Amazon voucher that turns into a trading pitch, fake Microsoft support,
callers posing as INPS or the police, and silent calls that test whether a line is live; plus one-off numbers
that stay below the public threshold. Every caller number is in a range that is possible for its country but
assigned to no operator (phonenumbers marks it "not valid"), so no demo page points at a real line.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from apps.core.demo import DEMO_EMAIL_DOMAIN, DemoContext, demo_step
from apps.reports.models import Channel, ContactReport, Outcome, Script
from apps.reports.services import caller_number_get_or_create, caller_number_refresh
from apps.reports.validation import ReporterFacts

CAMPAIGN_START = datetime(2024, 11, 20, tzinfo=timezone.get_fixed_timezone(60))  # the leak: 15 November 2024
CAMPAIGN_END = datetime(2025, 3, 31, tzinfo=timezone.get_fixed_timezone(60))


@dataclass(frozen=True)
class Campaign:
    numbers: tuple[str, ...]
    channels: tuple[str, ...]
    scripts: tuple[str, ...]
    brand: str
    knew: tuple[str, ...]
    reporters: tuple[int, ...]  # how many distinct members report each number: one of these
    starts: datetime
    low_weight_members: bool = False  # reported only by members with no verified phone or exposure


CAMPAIGNS = [
    Campaign(  # Nigeria, +234 900: not assigned
        numbers=tuple(f"+23490000001{n:02d}" for n in range(1, 9)),
        channels=(Channel.SMS, Channel.CALL, Channel.WHATSAPP),
        scripts=(Script.FAKE_AMAZON_VOUCHER, Script.FAKE_AMAZON_VOUCHER, Script.TRADING_CRYPTO),
        brand="Amazon",
        knew=("name", "contest_details"),
        reporters=(1, 2, 2, 5, 9, 12),
        starts=CAMPAIGN_START,
    ),
    Campaign(  # India, +91 55: not assigned
        numbers=tuple(f"+9155000002{n:02d}" for n in range(1, 6)),
        channels=(Channel.ROBOCALL, Channel.CALL),
        scripts=(Script.FAKE_TECH_SUPPORT,),
        brand="Microsoft",
        knew=("name", "email"),
        reporters=(1, 2, 4, 7),
        starts=CAMPAIGN_START + timedelta(days=20),
    ),
    Campaign(  # Pakistan, +92 390: not assigned
        numbers=tuple(f"+9239000003{n:02d}" for n in range(1, 6)),
        channels=(Channel.CALL, Channel.WHATSAPP, Channel.ROBOCALL),
        scripts=(Script.FAKE_INPS_MINISTRY_POLICE,),
        brand="INPS",
        knew=("name", "birth_date", "tax_code", "contest_details"),
        reporters=(1, 2, 3, 8),
        starts=CAMPAIGN_START + timedelta(days=45),
    ),
    Campaign(  # Bangladesh, +880 10: not assigned
        numbers=tuple(f"+88010000004{n:02d}" for n in range(1, 7)),
        channels=(Channel.SILENT_CALL,),
        scripts=("",),
        brand="",
        knew=(),
        reporters=(1, 2, 6, 10),
        starts=CAMPAIGN_START + timedelta(days=5),
    ),
    Campaign(  # reported by four members who verified nothing: 2 units of evidence, not public
        numbers=("+2348880000501",),
        channels=(Channel.CALL,),
        scripts=(Script.JOB_OFFER,),
        brand="",
        knew=("name",),
        reporters=(4,),
        starts=CAMPAIGN_START + timedelta(days=60),
        low_weight_members=True,
    ),
]
# One-off numbers (Nigeria +234 900, India +91 10): one or two reporters each, never public.
ONE_OFF_NUMBERS = [f"+23490000006{n:02d}" for n in range(10)] + [f"+91100000070{n}" for n in range(6)]


@demo_step(order=40)
def contact_reports(context: DemoContext) -> dict:
    """Reports by the demo members (accounts' step, order 30), bulk-inserted, then each number refreshed."""
    from apps.accounts.models import User

    members = list(User.objects.filter(email__regex=rf"^member\d\d@{DEMO_EMAIL_DOMAIN}$").order_by("email"))
    if not members:
        return {"reports": 0}
    weight = {m.pk: ReporterFacts.of(m).low_weight for m in members}
    full, low = [m for m in members if not weight[m.pk]], [m for m in members if weight[m.pk]]
    ContactReport.objects.filter(via=ContactReport.Via.DEMO).delete()  # seed_demo --reset seeds again

    rng, reports, numbers = context.rng, [], []
    for campaign in CAMPAIGNS:
        pool = low if campaign.low_weight_members else full
        for e164 in campaign.numbers:
            number = caller_number_get_or_create(e164)
            numbers.append(number)
            count = min(len(pool), rng.choice(campaign.reporters))
            for member in rng.sample(pool, count):
                # "12 calls in 3 days": the same person is often contacted again and again.
                for _ in range(rng.choice((1, 1, 2, 3, 4, 6))):
                    reports.append(_report(rng, number, member, campaign, weight[member.pk]))
    for e164 in ONE_OFF_NUMBERS:
        number = caller_number_get_or_create(e164)
        numbers.append(number)
        for member in rng.sample(members, rng.choice((1, 1, 2))):
            one_off = Campaign((e164,), (Channel.CALL, Channel.SMS), (Script.OTHER, ""), "", (), (1,), CAMPAIGN_START)
            reports.append(_report(rng, number, member, one_off, weight[member.pk]))

    ContactReport.objects.bulk_create(reports, batch_size=500)
    refreshed = [caller_number_refresh(number.pk) for number in numbers]
    return {"reports": len(reports), "numbers": len(numbers), "public_numbers": sum(d["is_public"] for d in refreshed)}


def _report(rng, number, member, campaign: Campaign, low_weight: bool) -> ContactReport:
    span = (CAMPAIGN_END - campaign.starts).total_seconds()
    day = campaign.starts + timedelta(seconds=rng.uniform(0, span))
    occurred_at = day.replace(hour=rng.randint(8, 20), minute=rng.randint(0, 59), second=0, microsecond=0)
    channel = rng.choice(campaign.channels)
    script = rng.choice(campaign.scripts)
    outcome = rng.choice((Outcome.HUNG_UP, Outcome.HUNG_UP, Outcome.BLOCKED, "", Outcome.GAVE_PERSONAL_DATA))
    if script == Script.TRADING_CRYPTO and rng.random() < 0.1:
        outcome = Outcome.LOST_MONEY
    silent = channel == Channel.SILENT_CALL
    return ContactReport(
        reporter=member,
        contributor=member.pk,
        caller=number,
        channel=channel,
        occurred_at=occurred_at,
        script=script if not silent else "",
        impersonated_brand=campaign.brand if script and rng.random() < 0.8 else "",
        caller_knew=[k for k in campaign.knew if rng.random() < 0.7],
        outcome=outcome if not silent else Outcome.HUNG_UP,
        loss_eur=Decimal(rng.choice((250, 500, 1200))) if outcome == Outcome.LOST_MONEY else None,
        silent_seconds=rng.randint(2, 8) if silent else None,
        background_noise=(rng.random() < 0.2) if silent else None,
        low_weight=low_weight,
        via=ContactReport.Via.DEMO,
        created_at=occurred_at + timedelta(minutes=rng.randint(1, 90)),
    )
