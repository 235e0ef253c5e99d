"""GET /api/v1/breaches/<slug>/evidence/: the evidence of the breach page as JSON, with the same released figures,
the same protection (public numbers only, nothing under K) and the same honest "not enough data"."""

import json

import pytest

from apps.breaches.models import Breach
from apps.insights.linkage.published import PUBLIC, published_evidence
from apps.insights.models import BreachEvidence
from tests.insights.evidence_scenarios import make_breach, plant
from tests.insights.test_evidence_pages import EN, IT, _store, stored  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def _get(client, slug, **headers):
    return client.get(f"/api/v1/breaches/{slug}/evidence/", **(headers or EN))


def test_the_api_gives_the_page_figures_and_names_only_public_numbers(client, stored):  # noqa: F811
    answer = _get(client, stored.breach.slug)
    body = answer.json()

    assert answer.status_code == 200
    expected = published_evidence(BreachEvidence.objects.get(breach=stored.breach), PUBLIC)
    assert body == json.loads(json.dumps(expected))  # the very figures the page shows, nothing else
    assert body["shown"] is True and body["breach"] == stored.breach.slug
    assert body["onset"]["date"] == "2025-01-20"
    assert body["rate_ratio_vs_controls"]["estimate"] > 1
    assert {row["e164"] for row in body["linked_numbers"]} == set(stored.public)
    assert not any(n in answer.content.decode() for n in stored.hidden)
    assert body["other_linked_numbers"] != 0  # the hidden ones are counted, not named
    assert all(set(c["numbers"]) <= set(stored.public) for c in body["campaigns"])
    assert "daily" not in body and "release" not in body  # no exact daily counts, no cell keys


def test_asking_again_gives_the_same_answer(client, stored):  # noqa: F811
    assert _get(client, stored.breach.slug).json() == _get(client, stored.breach.slug).json()


def test_sensitive_or_unknown_breaches_are_not_found(client, stored):  # noqa: F811
    Breach.objects.filter(pk=stored.breach.pk).update(is_sensitive=True)

    for slug in (stored.breach.slug, "no-such-breach", "a/b"):
        answer = _get(client, slug)
        assert answer.status_code == 404, slug
        assert answer.json() == {"detail": "Breach not found."}


def test_without_stored_evidence_it_says_so_in_the_readers_language(client):
    make_breach("quiet")

    answer = _get(client, "quiet", **IT)

    assert answer.status_code == 200
    body = answer.json()
    assert body["shown"] is False and body["computed_at"] is None and body["onset"] is None
    assert [r["code"] for r in body["not_enough_data"]] == ["not_computed"]
    assert body["not_enough_data"][0]["message"] == "Le prove non sono ancora state calcolate."


def test_with_fewer_than_k_members_nothing_is_shown_and_no_small_count_is_told(client):
    few = plant(seed=4, members=6, controls=30, slug="few")
    _store(few.breach)

    body = _get(client, "few").json()

    assert body["shown"] is False
    assert "few_members" in [r["code"] for r in body["not_enough_data"]]
    assert body["members"] is None and body["controls"] is None and body["rate_ratio_vs_controls"] is None
    assert body["linked_numbers"] == [] and body["campaigns"] == []
    assert not any(" 6 " in r["message"] or "(6)" in r["message"] for r in body["not_enough_data"])


def test_the_evidence_api_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/breaches/{slug}/evidence/"]["get"]

    assert set(operation["responses"]) == {"200", "404"}
    props = schema["components"]["schemas"]["Evidence"]["properties"]
    assert {"shown", "not_enough_data", "rate_ratio_vs_controls", "onset", "linked_numbers", "campaigns"} <= set(props)


@pytest.mark.parametrize("computed", [True, False])
def test_the_evidence_api_answers_match_the_documented_schema(
    client,
    stored,  # noqa: F811
    wsgi_calls_keep_the_test_connection,
    computed,
):
    """Schemathesis never hits a real slug: here a breach with evidence (and one without) is checked against
    the schema the site serves."""
    from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

    from tests.reports.test_api_schemathesis import PLAIN, schema

    if not computed:
        BreachEvidence.objects.filter(breach=stored.breach).delete()
    case = schema["/api/v1/breaches/{slug}/evidence/"]["GET"].Case(path_parameters={"slug": stored.breach.slug})
    response = case.call(headers=PLAIN)

    assert response.status_code == 200
    assert response.json()["shown"] is computed
    case.validate_response(response, checks=[status_code_conformance, response_schema_conformance])
