"""The demo's caller numbers: possible for their country but assigned to no operator, leased by each campaign a
few from each block, each used for its lifetime (apps/reports/demo.py draws the reports that use them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

import phonenumbers

if TYPE_CHECKING:
    from apps.reports.demo import Campaign


@dataclass
class DemoNumber:
    """A caller number and the days its campaign uses it."""

    e164: str
    first_day: date
    last_day: date
    carrier: str
    line_type: str
    pk: int | None = None


def demo_number_ok(e164: str) -> bool:
    """Possible for its country (so it is accepted and enriched) but in no range phonenumbers knows assigned."""
    number = phonenumbers.parse(e164)
    return phonenumbers.is_possible_number(number) and not phonenumbers.is_valid_number(number)


# A campaign leases its numbers in blocks (the number without its last two digits, as carriers and resellers
# hand them out) and draws up to this many numbers from a block before it moves to a new one: the linkage
# statistics group a campaign's numbers by their block (apps/insights/linkage/conduct.py).
NUMBERS_PER_BLOCK = 4


def campaign_numbers(rng, campaign: Campaign, last_day: date, taken: set[str]) -> list[DemoNumber]:
    """The campaign's numbers, each used from its first day for its lifetime: new ones keep coming, a few from
    each block it leases."""
    numbers, day = [], campaign.starts
    block, left_in_block = "", 0
    while day <= last_day:
        slow = campaign.slows_after is not None and day > campaign.slows_after
        for attempt in range(1000):
            if not left_in_block or attempt % 20 == 19:  # a new block, also when this one has no free number
                middle = campaign.tail_digits - 2
                block = f"{campaign.prefix}{rng.randrange(10**middle):0{middle}d}"
                left_in_block = NUMBERS_PER_BLOCK
            e164 = f"{block}{rng.randrange(100):02d}"
            if e164 not in taken and demo_number_ok(e164):
                break
        taken.add(e164)
        left_in_block -= 1
        carrier, line_type = rng.choice(campaign.carriers)
        lifetime = campaign.number_lifetime * (3 if slow else 1)
        numbers.append(DemoNumber(e164, day, day + timedelta(days=lifetime - 1), carrier, line_type))
        day += timedelta(days=campaign.new_number_every * (6 if slow else 1))
    return numbers
