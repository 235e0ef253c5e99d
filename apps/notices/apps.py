from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "apps.notices"
    label = "notices"
    verbose_name = _("Notices and alerts")

    def ready(self):
        from apps.notices import receivers  # noqa: F401  (surges become alerts to HR and union representatives)
