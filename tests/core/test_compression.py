"""Pages and API answers travel gzipped when the browser asks for it (a phone on a slow line downloads a fifth
of a chart-heavy page), with Django's random padding so that compression does not become a BREACH oracle."""

import gzip
from datetime import date

import pytest

from apps.breaches.models import Breach

pytestmark = pytest.mark.django_db


def test_a_page_answers_gzipped_when_asked_and_plain_when_not(client):
    zipped = client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br", HTTP_ACCEPT_LANGUAGE="en")
    plain = client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
    html = gzip.decompress(zipped.content).decode()
    assert "Am I affected?" in html
    assert len(zipped.content) < len(html.encode()) / 2
    assert "Content-Encoding" not in plain and "Am I affected?" in plain.content.decode()


def test_gzipped_pages_differ_in_length_from_one_answer_to_the_next(client):
    """Django 4.2+ pads the gzip header with up to 100 random bytes: BREACH needs stable lengths."""
    lengths = {len(client.get("/methods/", HTTP_ACCEPT_ENCODING="gzip").content) for _ in range(8)}

    assert len(lengths) > 1


def test_api_answers_are_gzipped_too(client, organisation):
    for n in range(5):
        Breach.objects.create(
            organisation=organisation, title=f"Contest archive {n}", slug=f"contest-{n}",
            occurred_on=date(2024, 11, n + 1), data_categories=["name", "phone"],
        )  # fmt: skip

    api = client.get("/api/v1/breaches/", HTTP_ACCEPT_ENCODING="gzip")

    assert api["Content-Encoding"] == "gzip"
    assert gzip.decompress(api.content).startswith(b"{")


def test_a_tiny_answer_is_left_alone(client):
    response = client.get("/healthz", HTTP_ACCEPT_ENCODING="gzip")

    assert "Content-Encoding" not in response
