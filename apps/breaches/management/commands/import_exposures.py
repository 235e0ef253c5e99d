from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from apps.breaches.importing.errors import ImportRejected
from apps.breaches.importing.summary import summary_lines
from apps.breaches.models import Breach
from apps.breaches.services import import_exposures
from apps.core.commands import TranslatedCommand


class Command(TranslatedCommand):
    help = (
        "Import a leaked dataset (CSV) into a registered breach. Only keyed hashes of its phone numbers and "
        "e-mail addresses are stored; nothing else from the file is kept, and the file is left as it is "
        "unless --delete is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file (UTF-8 or Windows/Latin-1; , ; tab or | separated)")
        parser.add_argument("--breach", required=True, metavar="SLUG", help="short name of the breach")
        parser.add_argument(
            "--phone-column", action="append", dest="phone_columns", metavar="NAME",
            help="header (or 1-based number) of a column of phone numbers; repeat for several; replaces detection",
        )  # fmt: skip
        parser.add_argument(
            "--email-column", action="append", dest="email_columns", metavar="NAME",
            help="header (or 1-based number) of a column of e-mail addresses; repeat for several",
        )  # fmt: skip
        parser.add_argument("--region", help="country of numbers written without a prefix (default: IT)")
        parser.add_argument("--encoding", help="file encoding, e.g. utf-8 or cp1252 (default: detected)")
        parser.add_argument("--delimiter", help="field separator: , ; | or tab (default: detected)")
        parser.add_argument("--delete", action="store_true", help="delete the file when the import ends")

    def handle(self, *args, file, breach, delete, **options):
        found = Breach.objects.filter(slug=breach).first()
        if found is None:
            known = ", ".join(Breach.objects.order_by("slug").values_list("slug", flat=True)[:20]) or "-"
            raise CommandError(
                _("There is no breach %(slug)s. Registered breaches: %(known)s.")
                % {"slug": repr(breach), "known": known}
            )
        self.stdout.write(_("Importing %(file)s into %(slug)s…") % {"file": file, "slug": found.slug})
        try:
            dataset_import = import_exposures(
                breach=found,
                path=file,
                phone_columns=options["phone_columns"],
                email_columns=options["email_columns"],
                region=options["region"],
                encoding=options["encoding"],
                delimiter=options["delimiter"],
                delete_file=delete,
            )
        except ImportRejected as rejected:
            raise CommandError(str(rejected)) from None
        for line in summary_lines(dataset_import):
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(_("Import %(id)s succeeded.") % {"id": dataset_import.pk}))
