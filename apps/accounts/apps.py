from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = _("People, roles and audit log")  # allauth's e-mail addresses are "Accounts"

    def ready(self):
        from apps.accounts import signals  # noqa: F401  (audit of logins, lockouts and role changes)
        from apps.accounts.library_names import rename_library_apps_and_models

        rename_library_apps_and_models()
