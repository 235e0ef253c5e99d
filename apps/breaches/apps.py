from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BreachesConfig(AppConfig):
    name = "apps.breaches"
    label = "breaches"
    verbose_name = _("Breaches")

    def ready(self):
        from apps.breaches import receivers  # noqa: F401  (matching after verification and invitation)
