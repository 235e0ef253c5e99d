from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "apps.reports"
    label = "reports"
    verbose_name = _("Contact reports")

    def ready(self):
        from django.db.models.signals import post_migrate

        from apps.reports import receivers  # noqa: F401  (reports weigh more once their author is verified)
        from apps.reports.brand_list import seed_an_empty_list

        post_migrate.connect(seed_an_empty_list, sender=self)
