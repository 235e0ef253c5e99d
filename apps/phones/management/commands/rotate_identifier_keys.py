from django.core.management.base import BaseCommand, CommandError

from apps.phones import crypto
from apps.phones.rotation import rotate_all


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted identifier not sealed by the first key in IDENTIFIER_ENCRYPTION_KEYS. "
        "Prepend the new key, deploy, run this, then drop the old key. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction (default 500).")
        parser.add_argument("--dry-run", action="store_true", help="Count what would change; write nothing.")

    def handle(self, *args, batch_size, dry_run, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        self.stdout.write(f"Current key id: {crypto.current_key_id().hex()}")
        try:
            results = rotate_all(batch_size=batch_size, dry_run=dry_run)
        except crypto.DecryptionError as error:
            raise CommandError(f"Stopped, earlier batches are saved: {error}") from error
        verb = "would be re-encrypted" if dry_run else "re-encrypted"
        for result in results:
            self.stdout.write(f"{result.model}: {result.rotated} of {result.scanned} rows {verb}.")
        total = sum(result.rotated for result in results)
        self.stdout.write(self.style.SUCCESS(f"{total} rows {verb} in {len(results)} models."))
