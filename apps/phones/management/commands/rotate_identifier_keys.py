from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.commands import TranslatedCommand
from apps.phones import crypto
from apps.phones.rotation import rotate_all


class Command(TranslatedCommand):
    help = (
        "Re-encrypt every encrypted identifier not sealed by the first key in IDENTIFIER_ENCRYPTION_KEYS. "
        "Prepend the new key, deploy, run this, then drop the old key. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction (default 500).")
        parser.add_argument("--dry-run", action="store_true", help="Count what would change; write nothing.")

    def handle(self, *args, batch_size, dry_run, **options):
        if batch_size < 1:
            raise CommandError(_("--batch-size must be at least 1."))
        self.stdout.write(_("Current key id: %(id)s") % {"id": crypto.current_key_id().hex()})
        try:
            results = rotate_all(batch_size=batch_size, dry_run=dry_run)
        except crypto.DecryptionError as error:
            raise CommandError(_("Stopped, earlier batches are saved: %(error)s") % {"error": error}) from error
        for result in results:
            values = {"model": result.model, "rotated": result.rotated, "scanned": result.scanned}
            if dry_run:
                line = _("%(model)s: %(rotated)s of %(scanned)s rows would be re-encrypted.")
            else:
                line = _("%(model)s: %(rotated)s of %(scanned)s rows re-encrypted.")
            self.stdout.write(line % values)
        total = sum(result.rotated for result in results)
        values = {"total": total, "models": len(results)}
        if dry_run:
            done = ngettext(
                "%(total)s row would be re-encrypted in %(models)s models.",
                "%(total)s rows would be re-encrypted in %(models)s models.",
                total,
            )
        else:
            done = ngettext(
                "%(total)s row re-encrypted in %(models)s models.",
                "%(total)s rows re-encrypted in %(models)s models.",
                total,
            )
        self.stdout.write(self.style.SUCCESS(done % values))
