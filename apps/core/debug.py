"""What the debug page and the error e-mails may show: Django's filter, told about BreachWatch's secrets.

Django hides settings whose names look secret (KEY, TOKEN, PASS…), but IDENTIFIER_PEPPER matches none of
those words, a broker or cache URL can carry its password, and a secret's value copied into a local variable
or into the environment (runserver puts os.environ in every request's META) keeps no tell-tale name. So
besides the names, every value that contains a secret's value, or a password written into a URL, is hidden.
"""

import re

from django.conf import settings
from django.views.debug import SafeExceptionReporterFilter

# Settings that hold a secret as a string or a list of strings.
SECRET_SETTINGS = (
    "SECRET_KEY",
    "SECRET_KEY_FALLBACKS",
    "IDENTIFIER_PEPPER",
    "IDENTIFIER_ENCRYPTION_KEYS",
    "SMS_GATEWAY_TOKEN",
)
_CREDENTIALS_IN_URL = re.compile(r"://[^/\s@]*:[^/\s@]+@")  # scheme://user:password@host
_SHORTEST_SECRET = 6  # shorter values ("", "0") would hide everything; no real secret is this short


def secret_values() -> list[str]:
    """The values of every secret the settings hold, passwords of databases and mail servers included."""
    values = []
    for name in SECRET_SETTINGS:
        value = getattr(settings, name, None)
        values += value if isinstance(value, list | tuple) else [value]
    values += [db.get("PASSWORD") for db in settings.DATABASES.values()]
    values += [mailer.get("OPTIONS", {}).get("password") for mailer in getattr(settings, "MAILERS", {}).values()]
    return [v for v in values if isinstance(v, str) and len(v) >= _SHORTEST_SECRET]


class SecretsHiddenFilter(SafeExceptionReporterFilter):
    hidden_settings = re.compile(SafeExceptionReporterFilter.hidden_settings.pattern + "|PEPPER", flags=re.I)

    def _reveals(self, value) -> bool:
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        elif not isinstance(value, str):
            try:
                value = repr(value)
            except Exception:  # noqa: BLE001 - an object that cannot be shown shows nothing
                return False
        return bool(_CREDENTIALS_IN_URL.search(value)) or any(secret in value for secret in secret_values())

    def cleanse_setting(self, key, value):
        cleansed = super().cleanse_setting(key, value)  # recurses into dicts and lists through this method
        if isinstance(cleansed, str | bytes) and self._reveals(cleansed):
            return self.cleansed_substitute
        return cleansed

    def get_traceback_frame_variables(self, request, tb_frame):
        return [
            (name, self.cleansed_substitute if self._reveals(value) else value)
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]
