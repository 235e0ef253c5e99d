import base64

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.utils import translation

from apps.phones import crypto


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # Mails and alerts later go out in the language the person signed up in.
        user.preferred_language = translation.get_language() or "it"
        return super().save_user(request, user, form, commit)


class MfaAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery seeds are encrypted with the identifier keys (allauth stores them plain)."""

    def encrypt(self, text: str) -> str:
        return base64.b64encode(crypto.encrypt(text, context="mfa")).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(base64.b64decode(encrypted_text), context="mfa")
