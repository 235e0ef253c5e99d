"""Dates, numbers and country names as each language writes them, from one source (apps/core/formats.py)."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from apps.core import formats
from apps.phones.enrich import country_name


@pytest.mark.parametrize(
    ("lang", "long", "short", "month", "n", "country"),
    [
        ("it", "15 novembre 2024", "15 nov 2024", "novembre 2024", "1.732", "Costa d’Avorio"),
        ("en", "15 November 2024", "15 Nov 2024", "November 2024", "1,732", "Côte d’Ivoire"),
    ],
)
def test_each_language_writes_dates_numbers_and_countries_its_own_way(lang, long, short, month, n, country):
    day = date(2024, 11, 15)
    with translation.override(lang):
        assert (formats.long_date(day), formats.short_date(day), formats.month_year(day)) == (long, short, month)
        assert formats.number(1732) == n and formats.country_name("CI") == country
        assert formats.country_name("NG") == "Nigeria"


def test_a_day_has_no_leading_zero_and_a_time_is_in_the_site_time_zone():
    with translation.override("it"):
        assert formats.long_date(date(2024, 11, 5)) == "5 novembre 2024"
        # 13:03 UTC is 14:03 in Rome in November.
        assert formats.short_datetime(datetime(2024, 11, 5, 13, 3, tzinfo=UTC)) == "5 nov 2024, 14:03"
        assert formats.weekday_abbrs()[:2] == ["lun", "mar"]
        assert formats.percent(0.267, decimals=1) == "26,7%" and formats.number(3.5, decimals=1) == "3,5"


def test_country_names_come_from_babel_in_any_language_and_unknown_codes_are_empty():
    assert country_name("DE", "it") == "Germania" and country_name("DE", "en") == "Germany"
    assert country_name("de", "it") == "Germania"
    assert country_name("", "it") == "" and country_name("XX", "it") == ""


def test_the_template_filters_format_in_the_active_language_and_leave_empty_values_empty():
    template = Template(
        "{% load formats %}{{ day|long_date }}|{{ n|number }}|{{ code|country }}|{{ none|long_date }}|"
        "{{ none|number }}|{{ share|percent }}"
    )
    context = Context({"day": date(2024, 11, 15), "n": 12345, "code": "GB", "none": None, "share": 26.7})
    with translation.override("it"):
        assert template.render(context) == "15 novembre 2024|12.345|Regno Unito|||26,7%"
    with translation.override("en"):
        assert template.render(context) == "15 November 2024|12,345|United Kingdom|||26.7%"


def test_the_country_select_is_in_the_active_language_and_its_alphabetical_order():
    from apps.reports.forms import region_choices

    with translation.override("it"):
        italian = dict(region_choices())
        names = [label for _code, label in region_choices()]
    assert italian["IT"] == "Italia (+39)" and italian["DE"] == "Germania (+49)"
    assert names.index("Costa d’Avorio (+225)") < names.index("Croazia (+385)")
    with translation.override("en"):
        assert dict(region_choices())["DE"] == "Germany (+49)"


def test_a_period_of_months_writes_the_year_once_when_it_can():
    from datetime import date

    from apps.core.formats import month_range

    assert month_range(date(2026, 9, 1), date(2026, 11, 1), "it") == "settembre–novembre 2026"
    assert month_range(date(2026, 9, 1), date(2026, 11, 1), "en") == "September – November 2026"
    assert month_range(date(2024, 12, 1), date(2025, 1, 1), "it") == "dicembre 2024 – gennaio 2025"
    assert month_range(date(2025, 3, 1), date(2025, 3, 1), "it") == "marzo 2025"
