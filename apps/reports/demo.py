"""Demo reports: what the synthetic members report, before and after the INPS Servizi leak of November 2024.

The story the dashboards should tell (DOMAIN.md, "The cases"):
- from May 2024, a low background of unwanted contacts for every member (BACKGROUND_RATE contacts per
  member per day): mostly Italian telemarketing, a few foreign callers;
- a few days after the leak (15 November 2024), a surge for the members whose data was in the contest
  archive (SURGE_RATE per member per day, background included): silent calls from Bangladesh testing which
  numbers are live, then a fake Amazon voucher turning into a trading pitch (Nigeria), fake INPS, ministry or
  police calls (Pakistan), fake Microsoft support robocalls (India) and WhatsApp job offers turning into
  crypto trading (Indonesia); each campaign rotates its numbers, a few from each block it leases ("blocking a
  number does not help, new numbers keep coming") and calls the same person again and again ("12 calls in 3 days");
- from spring 2025 the surge decays to TAIL_RATE and goes on at that level up to the day before seeding;
- TelcoNova's staff see a smaller surge after their own breach (2 March 2025);
- plus one-off numbers and a number reported only by low-weight reporters, which stay below the public
  threshold.

Contacts happen in working hours (8:30–20:00, Italian time), Monday to Saturday. Every caller number is in a
range that is possible for its country but assigned to no operator (phonenumbers marks it "not valid"), so no
demo page points at a real line; its carrier and line type are then set to synthetic values marked "(demo)"
so the carrier and line-type charts have something to show. Everything is drawn from the seeded generator
and computed from fixed dates and `context.now`: the same seed on the same day gives the same reports.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import phonenumbers
from django.db import connection
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.core.demo import DEMO_EMAIL_DOMAIN, DemoContext, demo_step
from apps.reports.brands import brand_key, brands_attach
from apps.reports.demo_numbers import DemoNumber, campaign_numbers
from apps.reports.models import Brand, BrandAlias, CallerNumber, Channel, ContactReport, Outcome, Script
from apps.reports.services import caller_number_get_or_create, caller_number_refresh

ROME = ZoneInfo("Europe/Rome")
BACKGROUND_FROM = date(2024, 5, 1)
LEAK_DAY = date(2024, 11, 15)  # the INPS Servizi breach occurred (apps.breaches.demo)
SURGE_ONSET = date(2024, 11, 19)  # four days later the silent calls begin
SURGE_PLATEAU_END = date(2025, 3, 31)
SURGE_DECAY_END = date(2025, 6, 30)
TELCONOVA_ONSET = date(2025, 3, 6)  # four days after the TelcoNova breach occurred (2 March 2025)
TELCONOVA_PLATEAU_END = date(2025, 4, 30)
TELCONOVA_DECAY_END = date(2025, 6, 30)

# Contacts per member per day.
BACKGROUND_RATE = 0.04  # everyone, from BACKGROUND_FROM
SURGE_RATE = 0.30  # INPS Servizi members in the leak, background included, until SURGE_PLATEAU_END
TAIL_RATE = 0.08  # the same members once the surge has decayed (SURGE_DECAY_END on)
TELCONOVA_SURGE_RATE = 0.25  # TelcoNova's exposed staff, background included
TELCONOVA_TAIL_RATE = 0.06

# Monday … Sunday: contacts on weekdays, fewer on Saturday, none on Sunday (mean 1 over a week).
_WEEKDAY_WEIGHT = (1.0, 1.0, 1.0, 1.0, 1.0, 0.4, 0.0)
WEEKDAY_FACTOR = tuple(w * 7 / sum(_WEEKDAY_WEIGHT) for w in _WEEKDAY_WEIGHT)
FIRST_MINUTE, LAST_MINUTE = 8 * 60 + 30, 20 * 60 - 1  # 8:30 to 19:59

# The curated brands the campaigns' reports name (slug: Italian name, English name, aliases); the migration
# seeds all but the demo's own, and an officer may have edited them, so each is only added when missing.
DEMO_BRANDS = {
    "amazon": ("Amazon", "Amazon", ()),
    "microsoft": ("Microsoft", "Microsoft", ()),
    "inps": ("INPS", "INPS", ()),
    "ministero-lavoro": ("Ministero del Lavoro", "Ministry of Labour", ()),
    "polizia-postale": ("Polizia Postale", "Postal Police", ()),
    "telconova": ("TelcoNova (demo)", "TelcoNova (demo)", ("TelcoNova",)),
}


@dataclass(frozen=True)
class Campaign:
    """One caller organisation: its number range, how it contacts people and what it says.

    The i-th contact of a burst to one person uses scripts[min(i, len - 1)] (a voucher first, then the
    trading pitch); its channel is drawn from `opening` for the first contact when given, else `channels`."""

    name: str
    share: float  # of its target group's contacts, among the group's campaigns active that day
    prefix: str  # E.164 prefix of a range phonenumbers marks "not valid"
    tail_digits: int
    carriers: tuple[tuple[str, str], ...]  # (synthetic carrier, line type), one drawn per number
    channels: tuple[str, ...]
    scripts: tuple[str, ...]
    brands: tuple[str, ...]
    knew: tuple[str, ...]
    bursts: tuple[int, ...]  # contacts to one person in one episode: one of these
    gaps: tuple[int, ...]  # days between two contacts of an episode: one of these
    starts: date
    new_number_every: int  # days
    number_lifetime: int  # days
    slows_after: date | None = None  # then new numbers six times less often, each used three times as long
    opening: tuple[str, ...] = ()

    @property
    def mean_burst(self) -> float:
        return sum(self.bursts) / len(self.bursts)


@dataclass(frozen=True)
class Group:
    """Whom a set of campaigns contacts, and how often (contacts per person per day on a given day)."""

    name: str
    pool: str  # "everyone" (all demo members), "inps_leak" or "telconova" (their breach's members)
    rate: Callable[[date], float]
    campaigns: tuple[Campaign, ...]


def _inps_surge(day: date) -> float:
    """Contacts per member of the INPS Servizi leak per day, on top of the background."""
    peak, tail = SURGE_RATE - BACKGROUND_RATE, TAIL_RATE - BACKGROUND_RATE
    return _surge(day, SURGE_ONSET, SURGE_PLATEAU_END, SURGE_DECAY_END, peak, tail)


def _telconova_surge(day: date) -> float:
    peak, tail = TELCONOVA_SURGE_RATE - BACKGROUND_RATE, TELCONOVA_TAIL_RATE - BACKGROUND_RATE
    return _surge(day, TELCONOVA_ONSET, TELCONOVA_PLATEAU_END, TELCONOVA_DECAY_END, peak, tail)


def _surge(day: date, onset: date, plateau_end: date, decay_end: date, peak: float, tail: float) -> float:
    if day < onset:
        return 0.0
    if (day - onset).days < 7:  # a week's ramp: the silent calls first, then the operators
        return peak * (0.35 + 0.65 * (day - onset).days / 7)
    if day <= plateau_end:
        return peak
    if day <= decay_end:  # exponential decay from the peak to the tail
        return peak * (tail / peak) ** ((day - plateau_end).days / (decay_end - plateau_end).days)
    return tail


def _background(day: date) -> float:
    return BACKGROUND_RATE if day >= BACKGROUND_FROM else 0.0


IT_FIXED = (("TIM (demo)", "fixed"), ("Fastweb (demo)", "fixed"))
GROUPS = [
    Group(
        name="inps_surge",
        pool="inps_leak",
        rate=_inps_surge,
        campaigns=(
            Campaign(  # Bangladesh, +880 10: not assigned. Tests which numbers are live, then passes them on.
                name="bd-silent-calls", share=0.22, prefix="+88010", tail_digits=8,
                carriers=(("Grameenphone (demo)", "mobile"), ("Robi (demo)", "mobile")),
                channels=(Channel.SILENT_CALL,), scripts=("",), brands=("",), knew=(),
                bursts=(1, 2, 2, 3, 4, 6), gaps=(0, 0, 1, 1, 2), starts=SURGE_ONSET,
                new_number_every=6, number_lifetime=21, slows_after=SURGE_PLATEAU_END,
            ),
            Campaign(  # Nigeria, +234 900: not assigned. The Amazon voucher, then the trading platform.
                name="ng-amazon-trading", share=0.34, prefix="+234900", tail_digits=7,
                carriers=(("MTN (demo)", "mobile"), ("Airtel (demo)", "mobile")),
                opening=(Channel.SMS, Channel.WHATSAPP),
                channels=(Channel.CALL, Channel.CALL, Channel.CALL, Channel.SMS, Channel.WHATSAPP),
                scripts=(Script.FAKE_AMAZON_VOUCHER, Script.FAKE_AMAZON_VOUCHER, Script.FAKE_AMAZON_VOUCHER,
                         Script.TRADING_CRYPTO),
                brands=("Amazon",), knew=("name", "contest_details"),
                bursts=(1, 2, 3, 4, 6, 8, 12), gaps=(0, 0, 0, 1, 1), starts=SURGE_ONSET + timedelta(days=2),
                new_number_every=7, number_lifetime=24, slows_after=SURGE_PLATEAU_END,
            ),
            Campaign(  # Pakistan, +92 390: not assigned. Knows the contest's details.
                name="pk-fake-inps", share=0.18, prefix="+92390", tail_digits=7,
                carriers=(("Jazz (demo)", "mobile"), ("Zong (demo)", "mobile")),
                channels=(Channel.CALL, Channel.CALL, Channel.ROBOCALL, Channel.WHATSAPP),
                scripts=(Script.FAKE_INPS_MINISTRY_POLICE,),
                brands=("INPS", "INPS", "Ministero del Lavoro", "Polizia Postale"),
                knew=("name", "birth_date", "tax_code", "contest_details"),
                bursts=(1, 2, 3, 4, 6), gaps=(0, 1, 1, 2), starts=date(2024, 12, 2),
                new_number_every=8, number_lifetime=24, slows_after=SURGE_PLATEAU_END,
            ),
            Campaign(  # India, +91 50: not assigned. Pre-recorded "Microsoft support" calls.
                name="in-fake-microsoft", share=0.16, prefix="+9150", tail_digits=8,
                carriers=(("Jio (demo)", "mobile"), ("Airtel (demo)", "voip")),
                channels=(Channel.ROBOCALL, Channel.ROBOCALL, Channel.CALL),
                scripts=(Script.FAKE_TECH_SUPPORT,), brands=("Microsoft", "Microsoft", "Amazon"),
                knew=("name", "email"),
                bursts=(1, 1, 2, 3, 4), gaps=(0, 1, 1, 2, 3), starts=date(2024, 12, 10),
                new_number_every=9, number_lifetime=27, slows_after=SURGE_PLATEAU_END,
            ),
            Campaign(  # Indonesia, +62 800: not assigned. A WhatsApp "job", then crypto trading.
                name="id-job-trading", share=0.10, prefix="+62800", tail_digits=8,
                carriers=(("Telkomsel (demo)", "mobile"),),
                opening=(Channel.WHATSAPP,), channels=(Channel.WHATSAPP, Channel.WHATSAPP, Channel.SMS, Channel.CALL),
                scripts=(Script.JOB_OFFER, Script.TRADING_CRYPTO), brands=("",), knew=("name",),
                bursts=(1, 1, 2, 3, 5), gaps=(0, 1, 1, 2), starts=date(2025, 1, 8),
                new_number_every=10, number_lifetime=30, slows_after=SURGE_PLATEAU_END,
            ),
        ),
    ),
    Group(
        name="telconova_surge",
        pool="telconova",
        rate=_telconova_surge,
        campaigns=(
            Campaign(  # Nigeria, +234 900: "your SIM will be suspended", then a fee to pay.
                name="ng-fake-telconova", share=1.0, prefix="+234900", tail_digits=7,
                carriers=(("Glo (demo)", "mobile"), ("MTN (demo)", "mobile")),
                opening=(Channel.SMS,), channels=(Channel.CALL, Channel.CALL, Channel.SMS),
                scripts=(Script.FAKE_TECH_SUPPORT, Script.FAKE_TECH_SUPPORT, Script.FAKE_BANK_PARCEL),
                brands=("TelcoNova",), knew=("name", "address"),
                bursts=(1, 2, 3, 4, 6), gaps=(0, 0, 1, 1, 2), starts=TELCONOVA_ONSET,
                new_number_every=7, number_lifetime=21, slows_after=TELCONOVA_PLATEAU_END,
            ),
        ),
    ),
    Group(
        name="background",
        pool="everyone",
        rate=_background,
        campaigns=(
            Campaign(  # Italian call centres, +39 084: no such area code. Energy and phone offers.
                name="it-telemarketing-fixed", share=0.50, prefix="+39084", tail_digits=7, carriers=IT_FIXED,
                channels=(Channel.CALL, Channel.CALL, Channel.CALL, Channel.ROBOCALL),
                scripts=(Script.OTHER,), brands=("",), knew=("name",),
                bursts=(1, 1, 1, 1, 2, 2, 3), gaps=(1, 2, 3, 5), starts=BACKGROUND_FROM,
                new_number_every=20, number_lifetime=60,
            ),
            Campaign(  # Italian mobile-like numbers, +39 30x: not assigned.
                name="it-telemarketing-mobile", share=0.30, prefix="+3930", tail_digits=8,
                carriers=(("WindTre (demo)", "mobile"), ("Vodafone (demo)", "mobile"), ("Tiscali (demo)", "voip")),
                channels=(Channel.CALL, Channel.CALL, Channel.SMS),
                scripts=(Script.OTHER,), brands=("",), knew=(),
                bursts=(1, 1, 1, 2, 2), gaps=(1, 2, 4), starts=BACKGROUND_FROM,
                new_number_every=25, number_lifetime=60,
            ),
            Campaign(  # Albanian call centres selling to Italy, +355 60: not assigned.
                name="al-telemarketing", share=0.08, prefix="+35560", tail_digits=7,
                carriers=(("Vodafone Albania (demo)", "voip"),),
                channels=(Channel.CALL,), scripts=(Script.OTHER,), brands=("",), knew=(),
                bursts=(1, 1, 2), gaps=(1, 2), starts=BACKGROUND_FROM,
                new_number_every=30, number_lifetime=90,
            ),
            Campaign(  # Tunisia, +216 10: not assigned. "Your parcel is waiting" SMS.
                name="tn-fake-parcel", share=0.12, prefix="+21610", tail_digits=6,
                carriers=(("Ooredoo (demo)", "mobile"),),
                channels=(Channel.SMS, Channel.SMS, Channel.WHATSAPP),
                scripts=(Script.FAKE_BANK_PARCEL,), brands=("",), knew=(),
                bursts=(1, 1, 2), gaps=(1, 3), starts=BACKGROUND_FROM,
                new_number_every=30, number_lifetime=60,
            ),
        ),
    ),
]  # fmt: skip
CAMPAIGNS = [campaign for group in GROUPS for campaign in group.campaigns]

# Reported only by four members who verified nothing: 2 units of evidence, not public.
LOW_WEIGHT_NUMBER = "+2348880000501"
LOW_WEIGHT_REPORTERS = 4
# One-off numbers (Nigeria +234 900, India +91 10): one or two reporters each, never public.
ONE_OFF_NUMBERS = [f"+23490000006{n:02d}" for n in range(10)] + [f"+91100000070{n}" for n in range(6)]
ONE_OFF_CARRIERS = {"NG": ("MTN (demo)", "mobile"), "IN": ("Jio (demo)", "mobile")}
RESERVED = {LOW_WEIGHT_NUMBER, *ONE_OFF_NUMBERS}


@demo_step(order=40, label=gettext_lazy("reports"))
def contact_reports(context: DemoContext) -> dict:
    """Reports by the demo members (accounts' step, order 30), bulk-inserted, then each number refreshed.

    Seeding again deletes the demo reports first (with one DELETE: the rollups are rebuilt by insights' step
    at the end) and draws them again."""
    pools, low_weight = _pools()
    if not pools["everyone"]:
        return {"reports": 0}
    demo_reports = ContactReport.objects.filter(via=ContactReport.Via.DEMO)
    before = set(demo_reports.values_list("caller_id", flat=True).distinct())  # refreshed again at the end
    table = connection.ops.quote_name(ContactReport._meta.db_table)
    with connection.cursor() as cursor:  # not QuerySet.delete(): it would queue a rollup change per report
        cursor.execute(f"DELETE FROM {table} WHERE via = %s", [ContactReport.Via.DEMO])  # noqa: S608

    rng = context.rng
    last_day = context.now.astimezone(ROME).date() - timedelta(days=1)  # whole days only: reseeding today agrees
    # The story: every demo member has reported each contact since the background began (their phones' call
    # logs), so the linkage statistics observe them from then on (accounts.services.reporting).
    User.objects.filter(pk__in=[m.pk for m in pools["everyone"]]).update(reporting_since=BACKGROUND_FROM)
    taken = set(RESERVED)
    numbers = {c.name: campaign_numbers(rng, c, last_day, taken) for c in CAMPAIGNS}
    reports: list[ContactReport] = []
    counts = {group.name: 0 for group in GROUPS}
    day = BACKGROUND_FROM
    while day <= last_day:
        factor = WEEKDAY_FACTOR[day.weekday()]
        for group in GROUPS if factor else ():
            rate, pool = group.rate(day), pools[group.pool]
            active = [c for c in group.campaigns if c.starts <= day]
            if not rate or not pool or not active:
                continue
            shares = sum(c.share for c in active)
            for campaign in active:
                expected = rate * factor * len(pool) * campaign.share / shares / campaign.mean_burst
                episodes = int(expected) + (rng.random() < expected % 1)
                live = [n for n in numbers[campaign.name] if n.first_day <= day <= n.last_day]
                for _ in range(episodes if live else 0):
                    member = rng.choice(pool)
                    number = rng.choice(live)
                    made = _episode(rng, campaign, number, member, low_weight[member.pk], day, last_day)
                    reports.extend(made)
                    counts[group.name] += len(made)
        day += timedelta(days=1)

    reports.extend(_low_weight_and_one_off_reports(rng, pools, low_weight, last_day))
    # Only numbers someone reported get a row, in the order they were drawn.
    reported = {report.caller_e164 for report in reports}
    drawn = [n for campaign in CAMPAIGNS for n in numbers[campaign.name]] + _extra_numbers()
    used = [n for n in drawn if n.e164 in reported]
    for number in used:
        number.pk = caller_number_get_or_create(number.e164).pk
    _synthetic_enrichment(used)
    ids = {n.e164: n.pk for n in used}
    for report in reports:
        report.caller_id = ids[report.caller_e164]
    _demo_brands()
    brands_attach(reports)
    ContactReport.objects.bulk_create(reports, batch_size=2000)

    refreshed = [caller_number_refresh(number.pk) for number in used]
    for number_id in sorted(before - set(ids.values())):  # numbers of an earlier seeding no longer reported
        caller_number_refresh(number_id)
    return {
        "reports": len(reports),
        **counts,
        "numbers": len(used),
        "public_numbers": sum(d["is_public"] for d in refreshed),
        "numbers_with_10_reporters": sum(d["reporters_count"] >= 10 for d in refreshed),
    }


def _pools():
    """The members each group contacts (ordered by e-mail, for determinism) and who reports at low weight."""
    from apps.accounts.models import Membership, PersonalPhone, User
    from apps.breaches.models import Exposure

    members = list(
        User.objects.filter(
            memberships__organisation__slug__in=["inps-servizi-demo", "telconova-demo"],
            memberships__role=Membership.Role.MEMBER,
            email__endswith=f"@{DEMO_EMAIL_DOMAIN}",
        )
        .distinct()
        .order_by("email")
    )
    exposed = {}
    for slug in ("inps-servizi-concorso-2022", "telconova-clienti-2025"):
        exposed[slug] = set(Exposure.objects.filter(breach__slug=slug).values_list("person_id", flat=True))
    verified = set(PersonalPhone.objects.filter(verified_at__isnull=False).values_list("person_id", flat=True))
    any_exposure = set(Exposure.objects.proven().values_list("person_id", flat=True))
    low_weight = {m.pk: m.pk not in verified and m.pk not in any_exposure for m in members}
    pools = {
        "everyone": members,
        "inps_leak": [m for m in members if m.pk in exposed["inps-servizi-concorso-2022"]],
        "telconova": [m for m in members if m.pk in exposed["telconova-clienti-2025"]],
        "low_weight": [m for m in members if low_weight[m.pk]],
    }
    return pools, low_weight


def _episode(rng, campaign: Campaign, number: DemoNumber, member, low_weight: bool, day: date, last_day: date):
    """One burst of contacts from one number to one person, from `day` on ("12 calls in 3 days")."""
    made = []
    for i in range(rng.choice(campaign.bursts)):
        if i:
            day += timedelta(days=rng.choice(campaign.gaps))
            if day.weekday() == 6:  # no contacts on Sundays
                day += timedelta(days=1)
        if day > last_day:
            break
        channel = rng.choice(campaign.opening if i == 0 and campaign.opening else campaign.channels)
        script = campaign.scripts[min(i, len(campaign.scripts) - 1)]
        made.append(_report(rng, number.e164, member, day, channel, script, campaign, low_weight))
    return made


def _demo_brands() -> None:
    for slug, (name_it, name_en, aliases) in DEMO_BRANDS.items():
        brand, _created = Brand.objects.get_or_create(slug=slug, defaults={"name_it": name_it, "name_en": name_en})
        for text in (name_it, name_en, *aliases):  # an alias another brand holds stays that brand's
            BrandAlias.objects.get_or_create(key=brand_key(text), defaults={"brand": brand, "text": text})


def _when(rng, day: date) -> datetime:
    """A moment of working hours (8:30–20:00, Italian time), with fewer calls over lunch."""
    minute = rng.randint(FIRST_MINUTE, LAST_MINUTE)
    if 13 * 60 <= minute < 14 * 60 + 30 and rng.random() < 0.5:
        minute = rng.randint(FIRST_MINUTE, LAST_MINUTE)
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=ROME)


def _report(rng, e164, member, day, channel, script, campaign: Campaign, low_weight: bool) -> ContactReport:
    occurred_at = _when(rng, day)
    silent = channel == Channel.SILENT_CALL
    script = "" if silent else script
    outcome = rng.choice((Outcome.HUNG_UP, Outcome.HUNG_UP, Outcome.BLOCKED, "", "", Outcome.GAVE_PERSONAL_DATA))
    if script == Script.TRADING_CRYPTO and rng.random() < 0.1:
        outcome = Outcome.LOST_MONEY
    report = ContactReport(
        reporter_id=member.pk,
        contributor=member.pk,
        channel=channel,
        occurred_at=occurred_at,
        script=script,
        impersonated_brand=rng.choice(campaign.brands) if script and rng.random() < 0.85 else "",
        caller_knew=[k for k in campaign.knew if rng.random() < 0.7],
        outcome=Outcome.HUNG_UP if silent else outcome,
        loss_eur=Decimal(rng.choice((250, 500, 1200))) if outcome == Outcome.LOST_MONEY else None,
        silent_seconds=rng.randint(2, 8) if silent else None,
        background_noise=(rng.random() < 0.2) if silent else None,
        low_weight=low_weight,
        via=ContactReport.Via.DEMO,
        created_at=occurred_at + timedelta(minutes=rng.randint(1, 90)),
    )
    report.caller_e164 = e164  # the CallerNumber id is set once every number exists
    return report


ONE_OFF = Campaign(
    name="one-off", share=0, prefix="", tail_digits=0, carriers=(), channels=(Channel.CALL, Channel.SMS),
    scripts=(Script.OTHER,), brands=("",), knew=(), bursts=(1,), gaps=(0,), starts=date(2024, 11, 20),
    new_number_every=1, number_lifetime=1,
)  # fmt: skip
LOW_WEIGHT_CAMPAIGN = Campaign(
    name="low-weight", share=0, prefix="", tail_digits=0, carriers=(), channels=(Channel.CALL,),
    scripts=(Script.JOB_OFFER,), brands=("",), knew=("name",), bursts=(1, 2, 3), gaps=(0, 1, 2),
    starts=date(2025, 1, 19), new_number_every=1, number_lifetime=1,
)  # fmt: skip


def _low_weight_and_one_off_reports(rng, pools, low_weight, last_day: date) -> list[ContactReport]:
    """Numbers that must stay below the public threshold: one reported by low-weight members only, and
    one-off numbers with one or two reporters each."""
    made = []
    span = (SURGE_PLATEAU_END - LOW_WEIGHT_CAMPAIGN.starts).days
    for member in rng.sample(pools["low_weight"], min(LOW_WEIGHT_REPORTERS, len(pools["low_weight"]))):
        day = _weekday(LOW_WEIGHT_CAMPAIGN.starts + timedelta(days=rng.randrange(span)))
        number = DemoNumber(LOW_WEIGHT_NUMBER, day, day, "", "")
        made += _episode(rng, LOW_WEIGHT_CAMPAIGN, number, member, True, day, last_day)
    span = (SURGE_PLATEAU_END - ONE_OFF.starts).days
    for e164 in ONE_OFF_NUMBERS:
        for member in rng.sample(pools["everyone"], rng.choice((1, 1, 2))):
            day = _weekday(ONE_OFF.starts + timedelta(days=rng.randrange(span)))
            script = rng.choice((Script.OTHER, ""))
            channel = rng.choice(ONE_OFF.channels)
            made.append(_report(rng, e164, member, day, channel, script, ONE_OFF, low_weight[member.pk]))
    return [r for r in made if r.occurred_at.date() <= last_day]


def _weekday(day: date) -> date:
    return day + timedelta(days=1) if day.weekday() == 6 else day


def _extra_numbers() -> list[DemoNumber]:
    first, last = LOW_WEIGHT_CAMPAIGN.starts, SURGE_PLATEAU_END
    numbers = [DemoNumber(LOW_WEIGHT_NUMBER, first, last, "Airtel (demo)", "mobile")]
    for e164 in ONE_OFF_NUMBERS:
        region = phonenumbers.region_code_for_country_code(phonenumbers.parse(e164).country_code)
        carrier, line_type = ONE_OFF_CARRIERS[region]
        numbers.append(DemoNumber(e164, ONE_OFF.starts, SURGE_PLATEAU_END, carrier, line_type))
    return numbers


def _synthetic_enrichment(numbers: list[DemoNumber]) -> None:
    """Plausible, clearly marked carriers and line types: the real ranges are unassigned, so phonenumbers has
    none to give."""
    rows = [CallerNumber(pk=n.pk, carrier=n.carrier, line_type=n.line_type) for n in numbers]
    CallerNumber.objects.bulk_update(rows, ["carrier", "line_type"], batch_size=500)
