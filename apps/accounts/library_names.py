"""Names the admin shows for the libraries' apps and models, in BreachWatch's words and languages.

allauth's MFA model has no verbose name at all (the admin showed "Authenticators" in every language), DRF's
Italian calls its tokens "I Token", and the apps were "MFA", "Auth Token" and "Axes". The names are set on the
models' _meta rather than through proxy models: the admin, its change lists and its permissions all read
_meta, and migrations read only the Meta the library declared (_meta.original_attrs), so nothing migrates.
"""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

APP_NAMES = {
    "account": _("Login addresses"),
    "mfa": _("Two-factor authentication"),
    "authtoken": _("API tokens"),
    "axes": _("Login protection"),
}

MODEL_NAMES = {
    ("account", "emailaddress"): (_("login e-mail address"), _("login e-mail addresses")),
    ("mfa", "authenticator"): (_("second factor"), _("second factors")),
    ("authtoken", "token"): (_("API token"), _("API tokens")),
    ("authtoken", "tokenproxy"): (_("API token"), _("API tokens")),
}


def rename_library_apps_and_models() -> None:
    for label, name in APP_NAMES.items():
        apps.get_app_config(label).verbose_name = name
    for (label, model_name), (singular, plural) in MODEL_NAMES.items():
        meta = apps.get_model(label, model_name)._meta
        meta.verbose_name, meta.verbose_name_plural = singular, plural
