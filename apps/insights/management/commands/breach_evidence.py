import json
from datetime import date

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from apps.breaches.models import Breach
from apps.core.commands import TranslatedCommand
from apps.insights.linkage.compute import compute_evidence


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": value}) from None


class Command(TranslatedCommand):
    help = (
        "Compute a breach's evidence (surge, onset, linked numbers, campaigns, callers' knowledge and conduct) over "
        "a period and print it; the exact figures, for officers. Nothing is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the breach's short name")
        parser.add_argument("--from", dest="start", type=_day, help="first day, YYYY-MM-DD (default: 180 days before)")
        parser.add_argument("--to", dest="end", type=_day, help="last day, YYYY-MM-DD (default: yesterday)")
        parser.add_argument("--json", action="store_true", help="print the full evidence as JSON")

    def handle(self, *args, slug, start, end, **options):
        breach = Breach.objects.filter(slug=slug).first()
        if breach is None:
            raise CommandError(_("No breach is registered as “%(slug)s”.") % {"slug": slug})
        if start and end and start > end:
            raise CommandError(_("The period ends before it starts."))
        evidence = compute_evidence(breach, start=start, end=end)
        if options["json"]:
            evidence.pop("release", None)  # cell keys: only the release layer needs them
            self.stdout.write(json.dumps(evidence, indent=2, ensure_ascii=False))
            return
        onset = evidence["onset"]
        self.stdout.write(
            _("%(members)s members, %(controls)s controls; surge began: %(onset)s; %(linked)s linked numbers.")
            % {
                "members": evidence["members"]["people"],
                "controls": evidence["controls"]["people"],
                "onset": onset["date"] if onset else "—",
                "linked": len(evidence["linked_numbers"]),
            }
        )
        for reason in evidence["not_enough_data"]:
            self.stdout.write(f"  {reason['message']}")
