from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.breaches.models import DataCategory
from apps.breaches.services import breach_register, organisation_get_or_create
from apps.core.commands import TranslatedCommand


def _date(option: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("%(option)s must be a date written YYYY-MM-DD, not %(value)s.") % {"option": option, "value": repr(value)}
        ) from None


class Command(TranslatedCommand):
    help = "Register a breach (for officers who script): its organisation, dates and exposed data categories."

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True, help="short name used in addresses, e.g. inps-servizi-2024")
        # --title is the Italian title, as it was before breaches had one per language.
        parser.add_argument("--title-it", "--title", dest="title_it", metavar="TITLE", help="the title in Italian")
        parser.add_argument("--title-en", dest="title_en", metavar="TITLE", help="the title in English")
        parser.add_argument(
            "--organisation", required=True, metavar="NAME_OR_SLUG", help="the data controller; created if missing"
        )
        parser.add_argument("--occurred", required=True, metavar="YYYY-MM-DD")
        parser.add_argument("--discovered", metavar="YYYY-MM-DD")
        parser.add_argument("--disclosed", metavar="YYYY-MM-DD")
        parser.add_argument(
            "--categories", required=True, help=f"comma-separated data categories: {', '.join(DataCategory.values)}"
        )
        parser.add_argument("--approx-people", type=int, metavar="N")
        parser.add_argument("--source", action="append", dest="sources", default=[], metavar="URL")
        parser.add_argument("--description-it", "--description", dest="description_it", metavar="TEXT")
        parser.add_argument("--description-en", dest="description_en", metavar="TEXT")
        parser.add_argument("--sensitive", action="store_true", help="never list it publicly")
        parser.add_argument("--verified", action="store_true")
        parser.add_argument("--update", action="store_true", help="update the breach if the slug exists")

    def handle(self, *args, **options):
        occurred = _date("--occurred", options["occurred"])
        discovered = _date("--discovered", options["discovered"])
        disclosed = _date("--disclosed", options["disclosed"])
        categories = [code.strip() for code in options["categories"].split(",") if code.strip()]
        unknown = [code for code in categories if code not in DataCategory.values]
        if unknown or not categories:
            raise CommandError(
                _("Unknown data categories: %(unknown)s. Accepted: %(accepted)s.")
                % {"unknown": ", ".join(unknown) or "-", "accepted": ", ".join(DataCategory.values)}
            )
        if options["approx_people"] is not None and options["approx_people"] < 0:
            raise CommandError(_("--approx-people cannot be negative."))
        try:
            with transaction.atomic():  # no organisation is left behind when the breach is refused
                organisation, created_organisation = organisation_get_or_create(name_or_slug=options["organisation"])
                breach, created = breach_register(
                    slug=options["slug"],
                    title_it=options["title_it"],
                    title_en=options["title_en"],
                    organisation=organisation,
                    occurred_on=occurred,
                    discovered_on=discovered,
                    disclosed_on=disclosed,
                    data_categories=categories,
                    approx_people=options["approx_people"],
                    sources=options["sources"],
                    description_it=options["description_it"],
                    description_en=options["description_en"],
                    is_verified=options["verified"],
                    is_sensitive=options["sensitive"],
                    update=options["update"],
                )
        except ValidationError as error:
            problems = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
            raise CommandError(_("The breach was not registered. %(problems)s") % {"problems": problems}) from None
        if created_organisation:
            self.stdout.write(
                _("Created organisation %(name)s (%(slug)s).") % {"name": organisation.name, "slug": organisation.slug}
            )
        message = _("Registered breach %(slug)s: %(title)s.") if created else _("Updated breach %(slug)s: %(title)s.")
        self.stdout.write(self.style.SUCCESS(message % {"slug": breach.slug, "title": breach.title}))
