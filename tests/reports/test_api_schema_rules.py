"""The OpenAPI document states the rules the reports API enforces, and the API refuses what the document does
not allow: an empty or repeated query parameter, a list where one value is expected, an empty boolean
(issue 9). Each refusal is a 400 naming the field."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.breaches.models import DataCategory
from apps.reports.models import Channel, Outcome, Script
from tests.reports.conftest import SCAM

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return APIClient().get("/api/schema/?format=json").json()


@pytest.fixture
def api(reporter):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=reporter).key}")
    return client


def report(**fields) -> dict:
    when = (timezone.now() - timedelta(hours=1)).isoformat()
    return {"caller_number": SCAM, "channel": "sms", "occurred_at": when} | fields


def enum_of(schema, prop: dict) -> set:
    """The values a property allows, following $ref and oneOf as drf-spectacular writes them."""
    if "$ref" in prop:
        return enum_of(schema, schema["components"]["schemas"][prop["$ref"].rsplit("/", 1)[1]])
    if "oneOf" in prop or "anyOf" in prop:
        return set().union(*(enum_of(schema, p) for p in prop.get("oneOf", prop.get("anyOf"))))
    return set(prop.get("enum", []))


def test_the_schema_states_every_enum_and_the_rules_between_fields(schema):
    props = schema["components"]["schemas"]["ReportInput"]["properties"]

    assert enum_of(schema, props["channel"]) == set(Channel.values)
    assert enum_of(schema, props["script"]) == {*Script.values, ""}  # "": no subject chosen
    assert enum_of(schema, props["outcome"]) == {*Outcome.values, ""}
    assert enum_of(schema, props["caller_knew"]["items"]) == set(DataCategory.values)
    for field in ("silent_seconds", "background_noise"):
        assert "silent_call" in props[field]["description"], field  # only for silent calls
    assert "lost_money" in props["loss_eur"]["description"]
    assert props["region_hint"]["pattern"] == "^[A-Za-z]{2}$"
    stats = schema["paths"]["/api/v1/breaches/{slug}/stats/"]["get"]["parameters"]
    assert {p["name"]: enum_of(schema, p["schema"]) for p in stats if p["name"] == "channel"} == {
        "channel": set(Channel.values)
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("channel", ""),
        ("channel", ["sms"]),
        ("script", ["fake_bank_parcel"]),
        ("outcome", ["lost_money"]),
        ("caller_knew", [""]),
        ("caller_knew", "name"),
        ("caller_number", [SCAM]),
        ("background_noise", ""),
        ("background_noise", [True]),
        ("silent_seconds", [3]),
        ("notes", ["x"]),
    ],
)
def test_an_empty_value_or_a_list_instead_of_one_value_is_a_field_error(api, field, value):
    answer = api.post("/api/v1/reports/", report(**{field: value}), format="json")

    assert answer.status_code == 400, answer.content
    assert list(answer.json()) == [field]


def test_a_list_for_one_value_is_told_in_words(api):
    answer = api.post("/api/v1/reports/", report(channel=["sms"]), format="json")

    assert answer.json() == {"channel": ["Choose one value, not a list."]}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("channel=", "channel"),
        ("channel=sms&channel=call", "channel"),
        ("period=", "period"),
        ("period=12m&period=3m", "period"),
        ("from=2024-01&from=2024-02", "from"),
        ("to=", "to"),
    ],
)
def test_statistics_refuse_an_empty_or_repeated_filter(client, breach, query, field):
    answer = client.get(f"/api/v1/breaches/{breach.slug}/stats/?{query}", HTTP_ACCEPT_LANGUAGE="en")

    assert answer.status_code == 400, answer.content
    assert field in answer.json()


@pytest.mark.parametrize("query", ["limit=1&limit=2", "offset=0&offset=1"])
def test_lists_refuse_a_repeated_page_parameter(client, query):
    answer = client.get(f"/api/v1/breaches/?{query}", HTTP_ACCEPT_LANGUAGE="en")

    assert answer.status_code == 400
    assert answer.json() == {query.split("=")[0]: ["Give this parameter only once."]}
