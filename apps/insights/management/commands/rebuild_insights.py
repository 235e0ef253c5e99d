from django.utils.translation import gettext as _

from apps.core import formats
from apps.core.commands import TranslatedCommand
from apps.insights.rebuild import rollups_rebuild


class Command(TranslatedCommand):
    help = "Recompute every statistics rollup from the reports (the nightly task does the same)."

    def handle(self, *args, **options):
        self.stdout.write(_("Rebuilding the statistics rollups from the reports…"))
        summary = rollups_rebuild()
        for name, value in summary.items():  # table names and counts, for whoever checks the rebuild
            self.stdout.write(f"  {name}: {value}")
        seconds = formats.number(summary["seconds"])
        self.stdout.write(self.style.SUCCESS(_("Done in %(seconds)s seconds.") % {"seconds": seconds}))
