from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "apps.insights"
    label = "insights"
    verbose_name = _("Statistics and dashboards")

    def ready(self):
        from apps.insights import receivers  # noqa: F401  (changes to reports and scopes are queued for the rollups)
