"""The breach page, the home page, the organisation dashboards, the CSV exports and the stats API."""

import csv
import io
from datetime import date

import pytest

from apps.accounts.models import AuditEvent, Membership
from apps.breaches.models import Breach
from tests.insights.conftest import at, near

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_the_breach_page_draws_every_chart_with_a_table_and_a_csv(crowd, world, client):
    page = client.get(f"/breaches/{world.contest.slug}/", **EN).content.decode()

    for title in (
        "Contacts per day",
        "Where the contacts come from",
        "Contacts by country",
        "How they made contact",
        "What the contacts were about",
        "When the contacts arrive",
        "Who they pretended to be",
    ):
        assert title in page, title
    assert page.count("<svg") >= 8 and page.count("Show as a table") >= 8
    assert "+2348031000001" in page  # a top number
    assert f"/breaches/{world.contest.slug}/statistics.csv" in page


def test_the_breach_page_filters_by_period_and_channel_and_explains_bad_input(crowd, world, client):
    url = f"/breaches/{world.contest.slug}/"
    ok = client.get(url, {"period": "custom", "from": "2024-12", "to": "2025-01", "channel": "sms"}, **EN)
    assert ok.status_code == 200 and "December 2024 – January 2025" in ok.content.decode()

    bad = client.get(url, {"period": "custom", "from": "2025-13", "to": "2024-01"}, **EN)
    assert bad.status_code == 200 and "Enter a month as YYYY-MM" in bad.content.decode()
    narrow = client.get(url, {"channel": "telegram"}, **EN).content.decode()
    assert "fewer than 10 people" in narrow and "<svg" not in narrow.split('id="statistics"')[1].split("</section>")[0]


def test_a_breach_of_few_reporters_says_when_figures_will_appear(world, report, client):
    assert (
        "No contacts reported in this period yet."
        in client.get(f"/breaches/{world.customers.slug}/", **EN).content.decode()
    )
    for i in range(3):
        report(world.person(f"few{i}", breaches=[world.customers]), at(2025, 3, 10))
    page = client.get(f"/breaches/{world.customers.slug}/", **EN).content.decode()
    assert "Figures appear here once at least 10 people have reported contacts." in page


def test_the_home_page_shows_everyone_s_figures(crowd, client):
    page = client.get("/", **EN).content.decode()
    assert "What people are reporting" in page and "Where the contacts come from" in page


def test_the_breach_csv_holds_every_cell_with_hidden_ones_marked(crowd, world, client):
    response = client.get(f"/breaches/{world.contest.slug}/statistics.csv", HTTP_ACCEPT_LANGUAGE="en")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))

    assert response["Content-Type"].startswith("text/csv")
    nigeria = next(r for r in rows if r["section"] == "countries" and r["key"] == "NG")
    albania = next(r for r in rows if r["section"] == "countries" and r["key"] == "AL")
    assert near(int(nigeria["contacts"]), 48) and near(int(nigeria["people"]), 24)
    assert albania["hidden"] == "yes" and albania["contacts"] == "" and albania["people"] == ""
    assert not any("UniCredit" in r["label"] for r in rows)


def test_the_csv_speaks_the_reader_language_and_keeps_codes_and_bare_numbers(crowd, world, client):
    italian = client.get(f"/breaches/{world.contest.slug}/statistics.csv", HTTP_ACCEPT_LANGUAGE="it").content.decode()
    header, *lines = italian.splitlines()

    assert header == "sezione,chiave,etichetta,contatti,persone,nascosto,alcuni mesi nascosti"
    assert "period,from,da sempre," in italian
    nigeria = next(line.split(",") for line in lines if line.startswith("countries,NG,Nigeria,"))
    assert near(int(nigeria[3]), 48) and near(int(nigeria[4]), 24)  # bare numbers, no thousands separator
    assert any(line.startswith("countries,AL,Albania,,,sì") for line in lines)


def test_the_stats_api_answers_with_the_same_figures(crowd, world, client):
    answer = client.get(f"/api/v1/breaches/{world.contest.slug}/stats/").json()
    assert answer["enough_people"] and near(answer["totals"]["contacts"], 51) and near(answer["totals"]["people"], 24)
    assert {"NG", "AL", "IN"} == {c["key"] for c in answer["countries"]}
    assert answer["min_people"] == 10 and len(answer["hours"]) == 168

    monthly = client.get(f"/api/v1/breaches/{world.contest.slug}/stats/", {"from": "2024-12-05", "to": "2025-01"})
    assert monthly.json()["period"] == {"all_time": False, "from": "2024-12-01", "to": "2025-01-31"}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "yesterday"}, "from"),
        ({"from": "2025-01", "to": "2024-01"}, "to"),
        ({"from": "1999-12"}, "from"),
        ({"to": "2025-01"}, "from"),
        ({"channel": "pigeon"}, "channel"),
        ({"period": "forever"}, "period"),
        ({"from": "2020-01", "to": "2099-01"}, "to"),
    ],
)
def test_the_stats_api_explains_each_bad_filter(crowd, world, client, query, field):
    response = client.get(f"/api/v1/breaches/{world.contest.slug}/stats/", query)
    assert response.status_code == 400 and field in response.json()


def test_the_stats_api_refuses_a_filter_that_narrows_to_few_people(crowd, world, client):
    url = f"/api/v1/breaches/{world.contest.slug}/stats/"
    english = client.get(url, {"channel": "telegram"}, headers={"accept-language": "en"})
    assert english.status_code == 400 and "fewer than 10 people" in english.json()["detail"]
    italian = client.get(url, {"channel": "telegram"}, headers={"accept-language": "it"})
    assert italian.status_code == 400 and "meno di 10 persone" in italian.json()["detail"]


def test_the_stats_api_hides_sensitive_breaches_and_says_when_there_are_too_few_people(world, client):
    world.customers.is_sensitive = True
    world.customers.save()
    assert client.get(f"/api/v1/breaches/{world.customers.slug}/stats/").status_code == 404
    quiet = Breach.objects.create(organisation=world.beta, title="Quiet", slug="quiet", occurred_on=date(2025, 1, 1))
    assert client.get(f"/api/v1/breaches/{quiet.slug}/stats/").json()["totals"]["contacts"] == 0


def test_the_stats_api_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/breaches/{slug}/stats/" in schema and "min_people" in schema


def test_the_methods_page_explains_suppression(client):
    page = client.get("/methods/", **EN).content.decode()
    assert "Nothing about fewer than 10 people" in page


# --- Dashboards -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 302), ("member", 403), ("hr", 200), ("beta_hr", 404), ("union", 200), ("officer", 200)],
)
def test_the_dashboard_opens_for_its_hr_union_and_officers_only(crowd, world, staff, client, who, status):
    if who == "member":
        client.force_login(crowd[0])
    elif who:
        client.force_login(staff[who])
    response = client.get(f"/dashboards/{world.acme.slug}/")
    assert response.status_code == status
    if who is None:
        assert "/accounts/login/" in response["Location"]


def test_the_dashboard_needs_two_factor_authentication(crowd, world, make_person, client):
    hr = make_person("hr-no-2fa@example.org")
    Membership.objects.create(person=hr, organisation=world.acme, role=Membership.Role.HR)
    client.force_login(hr)
    response = client.get(f"/dashboards/{world.acme.slug}/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/enrol/"


def test_hr_sees_aggregates_participation_and_filters_and_the_visit_is_audited(crowd, world, staff, client):
    client.force_login(staff["hr"])
    page = client.get(f"/dashboards/{world.acme.slug}/", **EN).content.decode()

    assert "Participation" in page and "Acme contest" in page and "Contacts per day" in page
    assert 'name="breach"' in page and 'name="channel"' in page and 'name="period"' in page
    assert "p00@example.org" not in page  # never a person
    assert AuditEvent.objects.filter(actor=staff["hr"], action="viewed", organisation=world.acme).exists()


def test_the_dashboard_csv_export_is_audited(crowd, world, staff, client):
    client.force_login(staff["union"])
    response = client.get(f"/dashboards/{world.acme.slug}/export.csv", {"channel": "sms"})
    assert response.status_code == 200 and "countries,NG" in response.content.decode()
    assert AuditEvent.objects.filter(actor=staff["union"], action="exported", organisation=world.acme).exists()


def test_a_dashboard_of_fewer_than_k_registered_people_shows_no_figures(world, staff, client):
    client.force_login(staff["beta_hr"])
    page = client.get(f"/dashboards/{world.beta.slug}/", **EN).content.decode()
    assert "Fewer than 10 people of this organisation are registered" in page and "<svg" not in page
    assert client.get(f"/dashboards/{world.beta.slug}/export.csv").status_code == 404


@pytest.mark.parametrize("established", ["invitation", "self_declared"])
def test_a_breach_filter_with_fewer_than_k_people_is_refused(crowd, world, staff, client, established):
    """Three invited people are too few; thirty who only declared themselves count as nobody."""
    from apps.breaches.models import Exposure

    for person in crowd[:3] if established == "invitation" else crowd:
        Exposure.objects.create(person=person, breach=world.customers, established=established)
    client.force_login(staff["officer"])
    page = client.get(f"/dashboards/{world.acme.slug}/", {"breach": world.customers.slug}, **EN).content.decode()
    assert "Fewer than 10 people of this organisation are registered in this breach" in page


def test_the_dashboard_list_shows_only_the_user_s_organisations(world, staff, client):
    client.force_login(staff["union"])
    page = client.get("/dashboards/").content.decode()
    assert world.acme.name in page and world.beta.name not in page


def test_the_navigation_offers_dashboards_only_to_those_who_may_open_one(crowd, world, staff, client):
    client.force_login(staff["union"])
    assert 'href="/dashboards/"' in client.get("/", **EN).content.decode()
    client.force_login(crowd[0])
    assert 'href="/dashboards/"' not in client.get("/", **EN).content.decode()


def test_an_organisation_dashboard_marks_its_own_breach_dates(crowd, world, staff, client):
    client.force_login(staff["hr"])
    page = client.get(f"/dashboards/{world.acme.slug}/", **EN).content.decode()
    timeline = page.split('id="figure-timeline"')[1].split("</figure>")[0]
    assert "Breach" in timeline and "15 Nov 2024" in timeline


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({}, 200),
        ({"from": "2024-12", "to": "2025-01"}, 200),
        ({"channel": "sms"}, 200),
        ({"channel": "telegram"}, 400),  # fewer than K people
        ({"from": "banana"}, 400),
    ],
)
def test_the_stats_api_answers_match_the_documented_schema(
    crowd, world, wsgi_calls_keep_the_test_connection, query, status
):
    """Schemathesis's fuzzing never hits a real slug; here a breach with figures, hidden cells and refusals
    is checked against the schema the site serves (nulls where documented, every status documented)."""
    from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

    from tests.reports.test_api_schemathesis import PLAIN, schema

    case = schema["/api/v1/breaches/{slug}/stats/"]["GET"].Case(
        path_parameters={"slug": world.contest.slug}, query=query
    )
    response = case.call(headers=PLAIN)

    assert response.status_code == status
    case.validate_response(response, checks=[status_code_conformance, response_schema_conformance])
