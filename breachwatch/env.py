"""Typed readers of environment variables for settings.py.

Each helper rejects a value it cannot interpret with an ImproperlyConfigured error that names the variable,
so a typo in production stops start-up instead of silently running with a default. Every name read is
recorded in READ, which lets a test check that `.env.example` and docker-compose.yml document exactly what
the settings use.
"""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

READ: dict[str, str | None] = {}  # variable name -> default, in the order settings.py reads them

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str, default: str | None) -> str | None:
    READ.setdefault(name, default)
    value = os.environ.get(name)
    return default if value is None else value.strip()


def env_str(name: str, default: str | None = None) -> str | None:
    return _raw(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name, "true" if default else "false")
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false, 1/0, yes/no, on/off), not {value!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name, str(default))
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_float(name: str, default: float, *, minimum: float | None = None) -> float:
    value = _raw(name, str(default))
    try:
        number = float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number such as 1.5, not {value!r}.") from None
    if minimum is not None and not number >= minimum:  # also refuses nan
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated list; blanks are dropped."""
    return [item.strip() for item in _raw(name, default).split(",") if item.strip()]


def env_url(name: str, default: str | None, *, schemes: tuple[str, ...]) -> str | None:
    """A URL whose scheme is one of `schemes`; None (unset) is returned as the default."""
    value = _raw(name, default)
    if not value:
        return default
    try:
        parts = urlsplit(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} is not a valid URL: {exc}.") from None
    if parts.scheme not in schemes:
        raise ImproperlyConfigured(
            f"{name} must start with one of {', '.join(s + '://' for s in schemes)}; got {value.split(':')[0]!r}."
        )
    return value


def database_from_url(name: str, url: str) -> dict:
    """Django DATABASES entry for a DATABASE_URL, with errors that name the variable."""
    import dj_database_url

    url = env_url(name, url, schemes=("postgres", "postgresql", "sqlite"))
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj-database-url raises bare ValueError/KeyError on junk
        raise ImproperlyConfigured(f"{name} could not be parsed ({exc}).") from None
    if config["ENGINE"].endswith("postgresql") and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} must name a database, e.g. postgres://user@host:5432/breachwatch.")
    return config
