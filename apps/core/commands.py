"""Management commands that speak the operator's language."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation


class TranslatedCommand(BaseCommand):
    """A command whose output (messages and errors, through gettext) is in --lang, or else in the active
    language: settings.LANGUAGE_CODE when run from manage.py, which activates none. Help texts stay English,
    like Django's own commands'."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            "--lang",
            choices=[code for code, _name in settings.LANGUAGES],
            help=f"language of the output (default: {settings.LANGUAGE_CODE})",
        )
        return parser

    def execute(self, *args, **options):
        language = options.get("lang") or translation.get_language() or settings.LANGUAGE_CODE
        with translation.override(language):
            return super().execute(*args, **options)
