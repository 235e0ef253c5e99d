"""Cached figures (apps/insights/cache.py): a repeated request reads no rollups, and whatever changes what the
figures show (a report, an allowlisted number, a breach made sensitive) is on the next page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.insights.models import ContactRollup, FacetRollup, NumberRollup
from apps.reports.models import CallerNumber
from apps.reports.moderation import caller_number_allowlist
from tests.insights.conftest import NIGERIA_AMAZON, at, near

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ROLLUP_TABLES = [model._meta.db_table for model in (ContactRollup, FacetRollup, NumberRollup)]


def rollup_reads(do) -> int:
    with CaptureQueriesContext(connection) as queries:
        do()
    return sum(any(table in q["sql"] for table in ROLLUP_TABLES) for q in queries.captured_queries)


def test_a_repeated_stats_request_reads_no_rollups_and_answers_the_same(crowd, world, client):
    url = f"/api/v1/breaches/{world.contest.slug}/stats/"
    answers = []
    assert rollup_reads(lambda: answers.append(client.get(url).json())) > 0
    assert rollup_reads(lambda: answers.append(client.get(url).json())) == 0
    assert answers[0] == answers[1] and near(answers[0]["totals"]["contacts"], 51)


def test_a_new_report_is_in_the_next_answer(crowd, world, client, report):
    url = f"/api/v1/breaches/{world.contest.slug}/stats/"
    assert rollup_reads(lambda: client.get(url)) > 0

    report(crowd[0], at(2025, 2, 1))

    assert rollup_reads(lambda: client.get(url)) > 0  # not the cached answer: read anew, with the new report
    assert near(client.get(url).json()["totals"]["contacts"], 52)


def test_the_breach_page_is_drawn_once_and_follows_a_new_report(crowd, world, client, report):
    url = f"/breaches/{world.contest.slug}/"
    first = client.get(url, **EN).content.decode()
    assert rollup_reads(lambda: client.get(url, **EN)) == 0
    assert "Contacts per day" in first

    report(crowd[0], at(2025, 2, 1))

    again = client.get(url, **EN).content.decode()
    assert rollup_reads(lambda: client.get(url, **EN)) == 0  # drawn again once, then cached again
    shown = int(again.split('data-count="', 1)[1].split('"', 1)[0])
    assert near(shown, 52) and "Contacts per day" in again


def test_each_language_gets_its_own_labels(crowd, world, client):
    url = f"/breaches/{world.contest.slug}/"
    english = client.get(url, **EN).content.decode()
    italian = client.get(url, HTTP_ACCEPT_LANGUAGE="it").content.decode()
    assert "Contacts per day" in english and "Contacts per day" not in italian
    assert "Nigeria" in english and "Nigeria" in italian


def test_an_allowlisted_number_leaves_the_top_numbers_at_once(
    crowd,
    world,
    client,
    staff,
    django_capture_on_commit_callbacks,
):
    url = f"/api/v1/breaches/{world.contest.slug}/stats/"
    number = CallerNumber.objects.get(e164=NIGERIA_AMAZON.replace(" ", ""))
    assert number.e164 in [n["e164"] for n in client.get(url).json()["top_numbers"]]

    with django_capture_on_commit_callbacks(execute=True):
        caller_number_allowlist(number=number, actor=staff["officer"], reason="the real switchboard")

    assert number.e164 not in [n["e164"] for n in client.get(url).json()["top_numbers"]]


def test_a_breach_made_sensitive_leaves_the_dashboard_filter(
    crowd,
    world,
    client,
    staff,
    django_capture_on_commit_callbacks,
):
    client.force_login(staff["hr"])
    url = f"/dashboards/{world.acme.slug}/"
    assert "Acme contest" in client.get(url, **EN).content.decode()

    world.contest.is_sensitive = True
    with django_capture_on_commit_callbacks(execute=True):
        world.contest.save()

    assert "Acme contest" not in client.get(url, **EN).content.decode()


def test_with_the_cache_off_every_request_reads_the_rollups(crowd, world, client, settings):
    settings.INSIGHTS_CACHE_SECONDS = 0
    url = f"/api/v1/breaches/{world.contest.slug}/stats/"
    assert rollup_reads(lambda: client.get(url)) > 0
    assert rollup_reads(lambda: client.get(url)) > 0
