"""Campaigns, what the callers knew, and the silent-call rules of the Garante's order of 20 February 2014."""

import dataclasses
from datetime import date, datetime, timedelta

import pytest

from apps.insights.linkage import planted, stats
from apps.insights.linkage.conduct import CONDUCT_COUNTS

COUNTED = CONDUCT_COUNTS


@pytest.mark.parametrize("seed", range(5))
def test_planted_silent_call_rule_breaches_are_counted_exactly(seed):
    events, expected = planted.plant_silent_calls(seed=seed)
    found = stats.silent_call_conduct(events)
    for name, row in expected.items():
        got = found["total"] if name == "total" else found["campaigns"][name]
        assert {k: got[k] for k in row} == row, name
    assert found["campaigns"]["A0"]["over_3_per_100"] and not found["campaigns"]["A1"]["over_3_per_100"]


def test_silent_call_rules_on_a_hand_made_history():
    t0 = datetime(2025, 5, 1, 10, 0)

    def ev(person, campaign, at, channel="call", seconds=None, noise=None):
        return stats.ContactEvent(person, campaign, at, channel, seconds, noise)

    events = [
        ev(1, "X", t0, "silent_call", 5, False),  # no noise, not dropped within 3 s
        ev(1, "X", t0 + timedelta(days=5)),  # called again on the fifth day: a breach
        ev(1, "X", t0 + timedelta(days=5, hours=1)),  # still within 5 days of nothing silent: not another
        ev(2, "X", t0, "silent_call", 3, True),  # dropped at exactly 3 s: allowed
        ev(2, "Y", t0 + timedelta(days=1)),  # another campaign: not this rule
        ev(2, "X", t0 + timedelta(days=1), "sms"),  # not a call
        ev(3, None, t0, "silent_call", 9, None),  # no campaign: counts in the total only
    ]
    result = stats.silent_call_conduct(events)
    x = result["campaigns"]["X"]
    assert (x["silent_calls"], x["silent_without_noise"], x["not_dropped_within_3s"]) == (2, 1, 1)
    assert (x["called_again_within_5_days"], x["people_called_again"]) == (1, 1)
    assert x["calls"] == 4 and x["contacts"] == 5 and x["over_3_per_100"]
    total = result["total"]
    assert (total["silent_calls"], total["silent_noise_unknown"], total["not_dropped_within_3s"]) == (3, 1, 2)
    assert result["campaigns"]["Y"]["silent_per_100_calls"] == 0 and total["campaigns_over_3_per_100"] == 1
    assert stats.silent_call_conduct([])["total"]["silent_calls"] == 0


def _number(e164, script, first, last, **kw):
    return stats.CampaignNumber(
        e164=e164,
        block=stats.number_block(e164),
        scripts=frozenset(script),
        first_seen=date(2025, 1, first),
        last_seen=date(2025, 1, last),
        country=kw.get("country", "NG"),
        carrier="c",
        line_type="mobile",
        channels=frozenset({"call"}),
    )


def test_number_block_drops_the_last_two_digits():
    assert stats.number_block("+390612345678") == "+3906123456"


def test_numbers_join_a_campaign_when_block_script_and_activity_all_meet():
    numbers = [
        _number("+234800000101", {"voucher"}, 1, 10),
        _number("+234800000102", {"voucher"}, 8, 20),  # overlaps 101
        _number("+234800000103", {"voucher", "bank"}, 19, 30),  # overlaps 102 only: joins by the chain
        _number("+234800000104", {"bank"}, 1, 30),  # shares "bank" with 103
        _number("+234800000177", {"voucher"}, 25, 31),  # overlaps 103
        _number("+234800000150", {"crypto"}, 1, 30),  # same block, a script nobody else uses
        _number("+234800000201", {"voucher"}, 1, 10),  # another block
        _number("+234800000199", set(), 1, 30),  # no known script: joins nobody
    ]
    campaigns = {tuple(c.numbers) for c in stats.group_campaigns(numbers)}
    assert campaigns == {
        ("+234800000101", "+234800000102", "+234800000103", "+234800000104", "+234800000177"),
        ("+234800000150",),
        ("+234800000201",),
        ("+234800000199",),
    }
    joined = next(c for c in stats.group_campaigns(numbers) if len(c.numbers) == 5)
    assert joined.block == "+2348000001" and joined.scripts == ["bank", "voucher"]
    assert (joined.first_seen, joined.last_seen) == (date(2025, 1, 1), date(2025, 1, 31))


def test_silent_numbers_of_one_block_join_by_their_channel_but_not_a_scripted_number():
    silent = [
        dataclasses.replace(_number(f"+8801000001{i}", set(), i, 20), channels=frozenset({"silent_call"}))
        for i in (10, 11)
    ]
    scripted = _number("+880100000112", {"voucher"}, 1, 30)
    campaigns = {tuple(c.numbers) for c in stats.group_campaigns([*silent, scripted])}
    assert campaigns == {("+880100000110", "+880100000111"), ("+880100000112",)}


def test_numbers_active_at_different_times_are_different_campaigns_unless_the_gap_is_allowed():
    pair = [_number("+234800000101", {"v"}, 1, 5), _number("+234800000102", {"v"}, 7, 9)]
    assert len(stats.group_campaigns(pair)) == 2
    assert len(stats.group_campaigns(pair, gap_days=2)) == 1


def test_planted_campaigns_are_recovered_from_their_linked_numbers(sweep):
    run = sweep[1]
    s = run.scenario
    linked = {a.key for a in run.attributions if a.linked}
    campaigns = stats.group_campaigns(s.campaign_numbers(linked))
    planted_sets = {}
    for n in s.numbers:
        if n.kind == planted.CAMPAIGN and n.e164 in linked:
            planted_sets.setdefault(n.campaign, set()).add(n.e164)
    assert sorted(map(sorted, planted_sets.values())) == sorted(c.numbers for c in campaigns)
    for c in campaigns:
        assert c.countries == ["NG"] and c.scripts and c.first_seen >= s.day_date(s.onset_day)


def test_caller_knowledge_counts_categories_and_whether_the_breach_held_them():
    contacts = [frozenset({"name", "contest"}), frozenset({"name"}), frozenset({"name", "iban"}), frozenset()]
    result = stats.caller_knowledge(contacts, frozenset({"name", "contest", "phone"}))
    assert result["contacts"] == 4 and result["with_knowledge"] == 3
    assert result["categories"]["name"] == {"count": 3, "share": 0.75, "exposed": True}
    assert result["categories"]["iban"]["exposed"] is False
    assert (result["within_exposed"], result["beyond_exposed"]) == (2, 1)
    assert result["within_exposed_share"] == pytest.approx(2 / 3)
    empty = stats.caller_knowledge([], frozenset())
    assert empty["with_knowledge_share"] is None and empty["within_exposed_share"] is None
