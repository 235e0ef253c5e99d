"""The API's lists take ?limit and ?offset within published bounds; anything else is a 400 naming the parameter
(issue 9: ?limit=2^63 was a 500)."""

import pytest

from apps.core.pagination import MAX_OFFSET, MAX_PAGE_SIZE

pytestmark = pytest.mark.django_db

LIST = "/api/v1/breaches/"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=9223372036854775808", "limit"),  # 2^63
        ("limit=9223372036854775807", "limit"),
        (f"limit={MAX_PAGE_SIZE + 1}", "limit"),
        ("limit=0", "limit"),
        ("limit=-1", "limit"),
        ("limit=ten", "limit"),
        ("limit=", "limit"),
        ("limit=%C2%B2", "limit"),  # "²" is a digit to str.isdigit(), not to int()
        ("offset=9223372036854775808", "offset"),
        ("offset=-5", "offset"),
        (f"offset={MAX_OFFSET + 1}", "offset"),
    ],
)
def test_an_out_of_bounds_page_is_a_field_error_not_a_crash(client, query, field):
    answer = client.get(f"{LIST}?{query}")

    assert answer.status_code == 400, answer.content
    assert list(answer.json()) == [field]
    assert answer.json()[field] == [
        "Inserisci un numero intero da " + ("1 a 200." if field == "limit" else "0 a 1000000.")
    ]


def test_pages_within_the_bounds_are_served(client):
    assert client.get(f"{LIST}?limit={MAX_PAGE_SIZE}&offset={MAX_OFFSET}").json()["results"] == []
    assert client.get(f"{LIST}?limit=1&offset=0").status_code == 200


def test_the_schema_states_the_bounds_and_the_400(client):
    operation = client.get("/api/schema/?format=json").json()["paths"][LIST]["get"]
    bounds = {p["name"]: (p["schema"]["minimum"], p["schema"]["maximum"]) for p in operation["parameters"]}

    assert bounds == {"limit": (1, MAX_PAGE_SIZE), "offset": (0, MAX_OFFSET)}
    assert "400" in operation["responses"]
