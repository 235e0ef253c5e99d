"""The demo's last step: the statistics, rebuilt once from the reports the earlier steps bulk-inserted."""

from django.utils.translation import gettext_lazy

from apps.core.demo import DemoContext, demo_step


@demo_step(order=90, label=gettext_lazy("statistics"))
def statistics(context: DemoContext) -> dict:
    """The demo reports bypass the report service (and its queue of rollup changes): rebuild everything."""
    from apps.insights.rebuild import rollups_rebuild

    return rollups_rebuild()
