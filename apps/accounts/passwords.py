"""Password rules Django does not ship."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class NotOnlyWhitespaceValidator:
    """Refuses a password made only of spaces, tabs or line breaks: twelve spaces pass the length rule, yet
    anyone guessing tries them first."""

    def validate(self, password: str, user=None) -> None:
        if not password.strip():
            raise ValidationError(_("Your password cannot be made of spaces only."), code="password_only_whitespace")

    def get_help_text(self) -> str:
        return _("Your password cannot be made of spaces only.")
