from django.core.management.base import BaseCommand

from apps.insights.rebuild import rollups_rebuild


class Command(BaseCommand):
    help = "Recompute every statistics rollup from the reports (the nightly task does the same)."

    def handle(self, *args, **options):
        self.stdout.write("Rebuilding the statistics rollups from the reports…")
        summary = rollups_rebuild()
        for name, value in summary.items():
            self.stdout.write(f"  {name}: {value}")
        self.stdout.write(self.style.SUCCESS(f"Done in {summary['seconds']} seconds."))
