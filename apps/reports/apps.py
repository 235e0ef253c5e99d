from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "apps.reports"
    label = "reports"
    verbose_name = _("Contact reports")

    def ready(self):
        from apps.reports import receivers  # noqa: F401  (reports weigh more once their author is verified)
