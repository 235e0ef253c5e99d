"""The rollups: updated as reports arrive and change, and identical to a rebuild from scratch."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection

from apps.accounts.models import Membership
from apps.accounts.privacy import account_erase
from apps.breaches.models import Exposure
from apps.insights.models import ALL_TIME, ANY, ContactRollup, FacetRollup, NumberRollup
from apps.insights.rebuild import rollups_rebuild
from apps.insights.rollups import rollups_update
from apps.insights.scopes import scope_for
from apps.reports.moderation import report_hide, report_unhide
from tests.insights.conftest import add_reports, assert_same_as_rebuild, at, rollup_tables

pytestmark = pytest.mark.django_db


def cell(scope, grain, period, channel=ANY, country=ANY, script=ANY):
    row = ContactRollup.objects.filter(
        scope=scope, grain=grain, period=period, channel=channel, country=country, script=script
    ).first()
    return (row.reports, row.reporters) if row else (0, 0)


def test_a_report_counts_once_per_person_in_every_scope_of_its_author(world, report):
    anna = world.person("anna", breaches=[world.contest], organisations=[world.acme])
    bruno = world.person("bruno", breaches=[world.contest])

    report(anna, at(2024, 12, 2), number="+234 803 000 0001")
    report(anna, at(2024, 12, 3), number="+234 803 000 0002")
    report(bruno, at(2024, 12, 3), number="+234 803 000 0001", channel="sms")

    national, contest, acme = scope_for(), scope_for(breach=world.contest), scope_for(organisation=world.acme)
    december = date(2024, 12, 1)
    assert cell(national, "month", december) == (3, 2)  # three reports, two people
    assert cell(contest, "month", december) == (3, 2)
    assert cell(acme, "month", december) == (2, 1)  # only Anna works at Acme
    assert cell(contest, "month", december, channel="call") == (2, 1)
    assert cell(contest, "month", december, country="NG") == (3, 2)
    assert cell(contest, "day", date(2024, 12, 3)) == (2, 2)
    assert cell(contest, "all", ALL_TIME) == (3, 2)
    assert scope_for(breach=world.customers) is None  # nobody of Beta's breach reported


def test_days_and_hours_are_counted_in_italian_time(world, report):
    anna = world.person("anna", breaches=[world.contest])
    report(anna, at(2024, 12, 31, hour=23, minute=30))  # 00:30 on 1 January in Rome

    contest = scope_for(breach=world.contest)
    assert cell(contest, "day", date(2025, 1, 1)) == (1, 1)
    assert cell(contest, "month", date(2025, 1, 1)) == (1, 1)
    hour = FacetRollup.objects.get(scope=contest, grain="all", facet="hour", channel=ANY)
    assert hour.value == "300"  # Wednesday (3), 00:00–00:59


def test_facets_hold_brand_line_type_carrier_and_numbers(world, report):
    anna = world.person("anna", breaches=[world.contest])
    report(
        anna, at(2025, 1, 7), number="+39 06 1234 5678", impersonated_brand="INPS", script="fake_inps_ministry_police"
    )

    contest = scope_for(breach=world.contest)
    facets = dict(FacetRollup.objects.filter(scope=contest, grain="all", channel=ANY).values_list("facet", "value"))
    assert facets["brand"] == "inps"  # the curated brand's slug, never the typed text
    assert facets["line_type"] == "fixed"
    assert facets["carrier"].startswith("IT:")
    number = NumberRollup.objects.get(scope=contest, grain="all", channel=ANY)
    assert number.caller.e164 == "+390612345678" and (number.reports, number.reporters) == (1, 1)


def test_hiding_and_unhiding_a_report_takes_it_out_and_back(world, report, make_person):
    officer = make_person("officer@example.org", is_staff=True)
    anna = world.person("anna", breaches=[world.contest])
    first = report(anna, at(2024, 12, 2))
    report(anna, at(2024, 12, 9))
    contest, december = scope_for(breach=world.contest), date(2024, 12, 1)

    report_hide(report=first, actor=officer, reason="duplicate")
    rollups_update()
    assert cell(contest, "month", december) == (1, 1)
    assert cell(contest, "day", date(2024, 12, 2)) == (0, 0)  # the empty cell is gone, not left at zero

    report_unhide(report=first, actor=officer)
    rollups_update()
    assert cell(contest, "month", december) == (2, 1)
    assert_same_as_rebuild()


def test_a_person_who_joins_a_breach_later_brings_their_earlier_reports(world, report):
    carla = world.person("carla", organisations=[world.acme])
    report(carla, at(2024, 10, 1))
    assert scope_for(breach=world.contest) is None

    # A declaration is one click away for anybody: it puts her reports in no figure of the breach.
    Exposure.objects.create(person=carla, breach=world.contest, established=Exposure.Established.SELF_DECLARED)
    rollups_update()
    assert scope_for(breach=world.contest) is None

    Exposure.objects.create(person=carla, breach=world.contest, established=Exposure.Established.INVITATION)
    rollups_update()
    assert cell(scope_for(breach=world.contest), "all", ALL_TIME) == (1, 1)
    assert cell(scope_for(breach=world.contest, organisation=world.acme), "all", ALL_TIME) == (1, 1)

    Membership.objects.filter(person=carla).delete()
    rollups_update()
    assert cell(scope_for(organisation=world.acme), "all", ALL_TIME) == (0, 0)
    assert_same_as_rebuild()


def test_people_nobody_vouches_for_count_in_no_figure_not_even_everyones(world, report):
    """Ten accounts made in a minute, each declaring itself in the breach: none of their reports is counted."""
    puppets = [world.person(f"puppet{i}") for i in range(10)]
    for puppet in puppets:
        Exposure.objects.create(person=puppet, breach=world.contest, established=Exposure.Established.SELF_DECLARED)
        report(puppet, at(2024, 12, 2), number="+234 803 000 0009")
    assert scope_for(breach=world.contest) is None
    national = scope_for()
    assert national is None or cell(national, "all", ALL_TIME) == (0, 0)
    assert_same_as_rebuild()


def test_cell_keys_sum_the_record_keys_of_the_distinct_reporters(world, report):
    from apps.insights.keys import record_keys
    from apps.insights.perturbation import KEY_SPACE

    anna = world.person("anna", breaches=[world.contest])
    bruno = world.person("bruno", breaches=[world.contest])
    for person in (anna, anna, bruno):
        report(person, at(2024, 12, 2), number="+234 803 000 0001")
    keys = record_keys([anna.pk, bruno.pk])
    row = ContactRollup.objects.get(
        scope=scope_for(breach=world.contest), grain="all", channel="*", country="*", script="*"
    )
    assert (row.reports, row.reporters, row.ckey) == (3, 2, (keys[anna.pk] + keys[bruno.pk]) % KEY_SPACE)
    assert_same_as_rebuild()


def test_erasure_keeps_the_reports_in_the_same_figures_without_the_person(world, report):
    anna = world.person("anna", breaches=[world.contest], organisations=[world.acme])
    bruno = world.person("bruno", breaches=[world.contest], organisations=[world.acme])
    report(anna, at(2024, 12, 2), number="+234 803 000 0001")
    report(bruno, at(2024, 12, 2), number="+234 803 000 0001")
    before = rollup_tables()

    account_erase(person=anna)
    rollups_update()

    after = rollup_tables()
    # The figures stay; only who is listed (and registered) changes.
    assert {k: v for k, v in after.items() if k not in ("ContributorScope", "ScopePeople")} == {
        k: v for k, v in before.items() if k not in ("ContributorScope", "ScopePeople")
    }
    assert all(contributor != anna.pk for contributor, _ in after["ContributorScope"])
    assert_same_as_rebuild()


def test_deleting_a_report_removes_it(world, report):
    anna = world.person("anna", breaches=[world.contest])
    doomed = report(anna, at(2024, 12, 2))
    doomed.delete()
    rollups_update()
    assert cell(scope_for(breach=world.contest), "all", ALL_TIME) == (0, 0)
    assert_same_as_rebuild()


def test_a_long_mixed_history_gives_the_tables_of_a_rebuild(world, report, make_person):
    """Reports across channels, days, months and numbers; hides; scope changes both ways; an erasure."""
    officer = make_person("officer@example.org", is_staff=True)
    anna = world.person("anna", breaches=[world.contest], organisations=[world.acme])
    bruno = world.person("bruno", breaches=[world.contest, world.customers], organisations=[world.acme])
    carla = world.person("carla", organisations=[world.beta])
    dario = world.person("dario")
    numbers = ["+234 803 000 0001", "+92 300 1234567", "+880 1712 345678", "+91 98765 43210", "+39 06 1234 5678"]
    channels = ["call", "sms", "whatsapp", "silent_call", "robocall"]
    scripts = ["fake_amazon_voucher", "", "fake_tech_support", "trading_crypto"]
    made = []
    for i in range(40):
        who = [anna, bruno, carla, dario][i % 4]
        channel = channels[i % 5]
        fields = {"script": scripts[i % 4]} if channel != "silent_call" else {}
        if i % 3 == 0 and channel != "silent_call":
            fields["impersonated_brand"] = ["Amazon", "amazon", "Microsoft"][i % 3 // 1 % 3]
        made.append(
            report(
                who,
                at(2024, 10 + i % 3, 1 + i % 27, hour=(i * 5) % 24),
                number=numbers[i % 5],
                channel=channel,
                **fields,
            )
        )
    report_hide(report=made[3], actor=officer, reason="abusive")
    report_hide(report=made[8], actor=officer, reason="abusive")
    report_unhide(report=made[8], actor=officer)
    Exposure.objects.create(person=dario, breach=world.customers, established=Exposure.Established.INVITATION)
    Membership.objects.create(person=carla, organisation=world.acme)
    Exposure.objects.filter(person=bruno, breach=world.contest).delete()
    account_erase(person=anna)
    made[10].delete()

    assert_same_as_rebuild()


def test_the_rebuild_command_reports_what_it_wrote(world, report, capsys):
    anna = world.person("anna", breaches=[world.contest])
    report(anna, at(2024, 12, 2))
    call_command("rebuild_insights")
    out = capsys.readouterr().out
    assert "ContactRollup" in out and "seconds" in out


def test_one_batch_where_a_person_enters_a_cell_as_another_leaves_one_report_of_two(world, report, make_person):
    """The cell's net change is (0 reports, +1 person): it must update the existing row, not fail."""
    officer = make_person("officer@example.org", is_staff=True)
    anna = world.person("anna", breaches=[world.contest])
    bruno = world.person("bruno", breaches=[world.contest])
    first = report(anna, at(2024, 12, 2), number="+234 803 000 0001")
    report(anna, at(2024, 12, 3), number="+234 803 000 0001")

    report_hide(report=first, actor=officer, reason="duplicate")  # queued, not applied yet
    from apps.reports.services import report_submit

    report_submit(reporter=bruno, caller_number="+234 803 000 0001", channel="call", occurred_at=at(2024, 12, 4))
    rollups_update()  # both changes in one batch

    assert cell(scope_for(breach=world.contest), "month", date(2024, 12, 1)) == (2, 2)
    assert_same_as_rebuild()


def test_a_rebuild_leaves_the_tables_with_the_same_indexes_and_constraints(world, report):
    """On PostgreSQL the rebuild fills fresh tables and swaps them in: migrations must still find every index
    and constraint under its name."""
    anna = world.person("anna", breaches=[world.contest])
    report(anna, at(2024, 12, 2))

    def shape():
        with connection.cursor() as cursor:
            return {
                model._meta.db_table: connection.introspection.get_constraints(cursor, model._meta.db_table)
                for model in (ContactRollup, FacetRollup, NumberRollup)
            }

    before = shape()
    rollups_rebuild()
    assert shape() == before
    assert cell(scope_for(breach=world.contest), "all", ALL_TIME) == (1, 1)
    report(anna, at(2024, 12, 3))  # the incremental path writes into the swapped-in tables
    assert cell(scope_for(breach=world.contest), "all", ALL_TIME) == (2, 1)


def test_a_person_leaving_a_cell_as_another_enters_it_changes_its_key_though_no_count(world):
    """Found by the property test on PostgreSQL: in one batch anna leaves the figures (she leaves Acme, her only
    proof) while bruno reports into the same cells; every count nets to zero, but the cells' people changed."""
    anna = world.person("anna", organisations=[world.acme])
    bruno = world.person("bruno", organisations=[world.acme])
    contact = {"number": "+234 803 000 0001", "channel": "call", "occurred_at": at(2024, 12, 2)}
    add_reports([{"person": anna, **contact}])

    Membership.objects.filter(person=anna).delete()  # queued, not applied yet
    add_reports([{"person": bruno, **contact}])  # applied together with anna's departure

    assert_same_as_rebuild()
