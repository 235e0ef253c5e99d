"""Dates, numbers and country names as the active language writes them, from one source: Babel's CLDR data.

Pages (the `formats` template filters), charts, CSV files and e-mails all call these functions, so "5 novembre
2024", "1.732" and "Costa d'Avorio" read the same everywhere. Django's own Italian formats write "05 novembre
2024" and its country names do not exist, hence CLDR.
"""

import functools
import unicodedata
from datetime import date, datetime

from babel import Locale, dates, numbers
from django.conf import settings
from django.utils import timezone, translation

# English pages are read by people in Italy and Europe: British English writes the day before the month
# ("5 November 2024") and the 24-hour clock, as the Italian pages do; US English would not.
_BABEL_LOCALES = {"en": "en_GB", "it": "it_IT"}


def language() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


@functools.cache
def _locale(code: str) -> Locale:
    return Locale.parse(_BABEL_LOCALES.get(code, code))


def locale(lang: str | None = None) -> Locale:
    """The Babel locale of `lang`, or of the active language."""
    return _locale(lang or language())


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def long_date(value: date | datetime, lang: str | None = None) -> str:
    """ "5 novembre 2024" / "5 November 2024"."""
    if isinstance(value, datetime):
        value = _local(value).date()
    return dates.format_date(value, "long", locale=locale(lang))


def short_date(value: date | datetime, lang: str | None = None) -> str:
    """ "5 nov 2024" / "5 Nov 2024": tables and lists."""
    if isinstance(value, datetime):
        value = _local(value).date()
    return dates.format_date(value, "medium", locale=locale(lang))


def day_month(value: date, lang: str | None = None) -> str:
    """ "5 nov" / "5 Nov": a chart's axis, where the year is written once below."""
    return dates.format_skeleton("MMMd", value, locale=locale(lang))


def month_abbr(value: date, lang: str | None = None) -> str:
    """ "nov" / "Nov"."""
    return dates.format_date(value, "LLL", locale=locale(lang))


def month_year(value: date, lang: str | None = None) -> str:
    """ "novembre 2024" / "November 2024"."""
    return dates.format_skeleton("yMMMM", value, locale=locale(lang))


def month_range(start: date, end: date, lang: str | None = None) -> str:
    """ "novembre 2024" for one month, "settembre–novembre 2026" within a year (the year written once, as
    Italian writes a period), "dicembre 2024 – gennaio 2025" across two."""
    if (start.year, start.month) == (end.year, end.month):
        return month_year(start, lang)
    # CLDR puts thin spaces around the dash; plain ones match the rest of the site (and what people type).
    return dates.format_interval(start, end, "yMMMM", locale=locale(lang)).replace("\u2009", " ")


def _with_time(day: str, value: datetime, lang: str | None) -> str:
    pattern = dates.get_datetime_format("medium", locale=locale(lang))
    time = dates.format_time(value, "short", locale=locale(lang))
    return str(pattern).replace("'", "").format(time, day)


def short_datetime(value: datetime, lang: str | None = None) -> str:
    """ "5 nov 2024, 14:03", in the site's time zone."""
    value = _local(value)
    return _with_time(short_date(value, lang), value, lang)


def long_datetime(value: datetime, lang: str | None = None) -> str:
    """ "5 novembre 2024, 14:03", in the site's time zone."""
    value = _local(value)
    return _with_time(long_date(value, lang), value, lang)


def weekday_abbrs(lang: str | None = None) -> list[str]:
    """Monday first: "lun", "mar", … / "Mon", "Tue", …"""
    names = locale(lang).days["format"]["abbreviated"]
    return [names[i] for i in range(7)]


def number(value: int | float, lang: str | None = None, *, decimals: int | None = None) -> str:
    """ "1.732" / "1,732"; with `decimals`, exactly that many digits after the separator ("3,5")."""
    if decimals is not None:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return numbers.format_decimal(value, format=pattern, locale=locale(lang))
    return numbers.format_decimal(value, locale=locale(lang))


def percent(fraction: float, lang: str | None = None, *, decimals: int = 0) -> str:
    """ "25%" from 0.25, "26,7%" from 0.267 with one decimal (trailing zeros dropped: "25%", not "25,0%")."""
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "") + "%"
    return numbers.format_percent(fraction, format=pattern, locale=locale(lang))


def country_name(code: str, lang: str | None = None) -> str:
    """A region's name in the language: "Nigeria", "Costa d’Avorio" / "Côte d’Ivoire"; "" when unknown."""
    from apps.phones.enrich import country_name as name

    return name(code, lang or language())


def sort_key(text: str) -> str:
    """Alphabetical order as a reader expects it: accents and case ignored ("Åland" under A, "è" with "e")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
