"""The demo's last step: the statistics, rebuilt once from the reports the earlier steps bulk-inserted, and
each breach's evidence computed as the nightly run would."""

from django.utils.translation import gettext_lazy

from apps.breaches.models import Breach
from apps.core.demo import DemoContext, demo_step
from apps.insights.linkage.store import breach_evidence_compute
from apps.insights.rebuild import rollups_rebuild


@demo_step(order=90, label=gettext_lazy("statistics"))
def statistics(context: DemoContext) -> dict:
    """The demo reports bypass the report service (and its queue of rollup changes): rebuild everything."""
    summary = rollups_rebuild()
    for breach in Breach.objects.order_by("pk"):  # the officers' evidence page shows them from the start
        breach_evidence_compute(breach=breach)
    return summary
