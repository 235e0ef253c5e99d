"""A breach page is read on a phone: whether you are in it and what to do come before the charts."""

import pytest

pytestmark = pytest.mark.django_db


def test_are_you_in_it_and_what_to_do_come_right_after_the_summary_and_before_the_charts(breach, client):
    page = client.get(f"/breaches/{breach.slug}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    summary = page.index("What leaked")
    in_it = page.index('id="are-you-in-it"')
    what_to_do = page.index('id="what-to-do"')
    charts = page.index('id="statistics"')
    assert summary < in_it < what_to_do < charts
    assert "Polizia Postale" in page[what_to_do:charts]  # the advice itself, not only its heading
