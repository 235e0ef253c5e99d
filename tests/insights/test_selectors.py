"""What the figures say, from the rollups, released (hidden below K people, else perturbed by at most the
noise bound): the selectors every page, export and API reads."""

from datetime import date

import pytest

from apps.breaches.models import Breach, Exposure
from apps.insights import cache
from apps.insights.periods import Period
from apps.insights.perturbation import noise_max
from apps.insights.release import SelectionTooNarrow
from apps.insights.selectors import statistics
from tests.insights.conftest import near

pytestmark = pytest.mark.django_db


def by_key(rows):
    return {row["key"]: row for row in rows}


def test_a_breach_shows_its_people_contacts_with_small_cells_hidden(crowd, world):
    stats = statistics(breach=world.contest)

    assert near(stats["totals"]["contacts"], 51) and near(stats["totals"]["people"], 24)
    countries = by_key(stats["countries"])
    assert near(countries["NG"]["contacts"], 48) and near(countries["NG"]["people"], 24)
    assert countries["AL"]["hidden"] and countries["AL"]["contacts"] is None  # two people
    assert countries["IN"]["hidden"]  # one person
    channels = by_key(stats["channels"])
    assert near(channels["call"]["contacts"], 24) and near(channels["sms"]["contacts"], 24)
    assert channels["whatsapp"]["hidden"] and channels["telegram"]["hidden"]


def test_a_lone_hidden_cell_is_not_the_total_minus_the_visible_ones(crowd, world):
    """Suppression alone would need a second hidden cell here; the perturbation makes the difference inexact."""
    stats = statistics(breach=world.contest)
    scripts = by_key(stats["scripts"])
    # "fake_tech_support" (1 person, 1 contact) and "" (not said: the 2 Albanian calls) are hidden.
    assert scripts["fake_tech_support"]["hidden"] and scripts[""]["hidden"]
    assert near(scripts["fake_amazon_voucher"]["contacts"], 24) and near(scripts["trading_crypto"]["contacts"], 24)
    # Whatever the attacker subtracts, the figures are published as the same values every time.
    assert statistics(breach=world.contest) == stats


def test_a_curated_brand_of_too_few_people_is_not_even_named(crowd, world):
    brands = statistics(breach=world.contest)["brands"]
    assert [(row["key"], row["label"]) for row in brands["rows"]] == [("amazon", "Amazon")]
    assert brands["hidden"] == 1  # "UniCredit", named by two people


def test_hours_are_a_full_week_of_italian_hours(crowd, world):
    hours = statistics(breach=world.contest)["hours"]
    assert len(hours) == 168 and (hours[0]["weekday"], hours[0]["hour"]) == (1, 0)
    busy = [h for h in hours if h["contacts"]]
    assert all(h["contacts"] >= 10 for h in busy)
    assert sum(h["hidden"] for h in hours) >= 2  # hour cells of a few people each are hidden


def test_the_organisation_sees_the_same_people_and_no_other(crowd, world):
    outsider = world.person("outsider", breaches=[world.contest])
    stats = statistics(organisation=world.acme)
    assert near(stats["totals"]["people"], 24)
    assert outsider.pk not in [row.get("key") for row in stats["countries"]]
    assert near(stats["registered"]["total"], 24) and set(stats["registered"]) == {"total"}


def test_a_period_adds_up_whole_months(crowd, world):
    december = statistics(breach=world.contest, period=Period(date(2024, 12, 1), date(2024, 12, 1)))
    assert near(december["totals"]["contacts"], 26)  # 24 people; the total counts every one of their contacts
    assert december["period"] == {"all_time": False, "from": "2024-12-01", "to": "2024-12-31"}
    january = statistics(breach=world.contest, period=Period(date(2025, 1, 1), date(2025, 1, 1)))
    both = statistics(breach=world.contest, period=Period(date(2024, 12, 1), date(2025, 1, 1)))
    # A period's figure is the sum of its months' published figures; people are not additive.
    assert both["totals"]["contacts"] == december["totals"]["contacts"] + january["totals"]["contacts"]
    assert both["totals"]["people"] is None
    nigeria = by_key(both["countries"])["NG"]
    assert abs(nigeria["contacts"] - 48) <= 2 * noise_max() and not nigeria["hidden"]  # two months' noises


def test_a_selection_of_fewer_than_k_people_is_refused(crowd, world):
    with pytest.raises(SelectionTooNarrow):
        statistics(breach=world.contest, channel="whatsapp")
    with pytest.raises(SelectionTooNarrow):
        statistics(breach=world.contest, period=Period(date(2025, 1, 1), date(2025, 1, 1)), channel="telegram")


def test_top_numbers_are_public_numbers_of_k_people_or_more(crowd, world):
    top = statistics(breach=world.contest)["top_numbers"]
    assert {n["e164"] for n in top} == {"+2348031000001", "+2348031000002"}
    assert [n["contacts"] for n in top] == sorted((n["contacts"] for n in top), reverse=True)
    assert all(near(n["contacts"], 24) and near(n["people"], 24) and n["country"] == "NG" for n in top)


def test_registered_people_count_only_the_proven(crowd, world, django_capture_on_commit_callbacks):
    before = statistics(breach=world.contest)["registered"]
    assert near(before["total"], 24) and near(before["matched"], 24)
    for i in range(10):
        Exposure.objects.create(
            person=world.person(f"d{i}"), breach=world.contest, established=Exposure.Established.SELF_DECLARED
        )
    with django_capture_on_commit_callbacks(execute=True):
        cache.figures_changed()
    assert statistics(breach=world.contest)["registered"] == before  # ten declarations move nothing
    with django_capture_on_commit_callbacks(execute=True):  # the rollups take the new people in after commit
        for i in range(10):
            Exposure.objects.create(
                person=world.person(f"i{i}"), breach=world.contest, established=Exposure.Established.INVITATION
            )
    after = statistics(breach=world.contest)["registered"]
    assert near(after["total"], 34) and after["matched"] == before["matched"]


def test_a_breach_without_reports_has_empty_figures(world, db):
    quiet = Breach.objects.create(organisation=world.beta, title="Quiet", slug="quiet", occurred_on=date(2025, 1, 1))
    stats = statistics(breach=quiet)
    assert stats["totals"] == {"contacts": 0, "people": 0} and stats["countries"] == []
    assert all(day["contacts"] == 0 for day in stats["timeline"])


def test_the_timeline_marks_days_of_few_people_hidden(crowd, world):
    timeline = {d["day"]: d for d in statistics(breach=world.contest)["timeline"]}
    assert timeline[date(2024, 12, 20)]["hidden"]  # the two Albanian calls
    assert all(d["contacts"] in (0, None) or d["contacts"] >= 10 for d in timeline.values())
    assert min(timeline) <= date(2024, 9, 15)  # two months before the breach, to show the "before"
