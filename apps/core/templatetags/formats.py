"""{% load formats %}: apps.core.formats as filters. An empty value gives "" (or the filter's argument)."""

from datetime import date, datetime

from django import template

from apps.core import formats

register = template.Library()


def _dated(function):
    def filter_(value, default=""):
        return function(value) if isinstance(value, (date, datetime)) else default

    filter_.__name__ = function.__name__
    return register.filter(filter_)


long_date = _dated(formats.long_date)
short_date = _dated(formats.short_date)
month_year = _dated(formats.month_year)


@register.filter
def short_datetime(value, default=""):
    return formats.short_datetime(value) if isinstance(value, datetime) else short_date(value, default)


@register.filter
def long_datetime(value, default=""):
    return formats.long_datetime(value) if isinstance(value, datetime) else long_date(value, default)


@register.filter
def number(value, decimals=None):
    """{{ n|number }} → "1.732"; {{ x|number:1 }} → "3,5". Not a number: shown as it is."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "" if value is None else value
    return formats.number(value, decimals=None if decimals in (None, "") else int(decimals))


@register.filter
def country(code):
    """{{ number.country|country }} → "Nigeria" in the active language; the code itself when unknown."""
    return formats.country_name(code) or (code or "")


@register.filter
def percent(value):
    """{{ 26.7|percent }} → "26,7%" (the value is already ×100, one decimal at most, as the tables show it)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "" if value is None else value
    return formats.percent(value / 100, decimals=1)


@register.filter
def phone(e164):
    """{{ n.e164|phone }} → "06 1234 5678" for an Italian number, "+234 803 123 4567" for any other: as the
    person who was called would dial it back."""
    from apps.phones.display import as_dialled

    return as_dialled(e164) if e164 else ""
