import base64
from urllib.parse import quote

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from apps.accounts import login_link
from apps.accounts.throttling import client_ip
from apps.phones import crypto

EMAIL_MAX_LENGTH = account_settings.EMAIL_MAX_LENGTH  # 254, the longest address SMTP can deliver (RFC 5321)


def site_link(path: str) -> str:
    """An absolute link for an e-mail: from SITE_URL, never from the Host header of the request that sent it."""
    return settings.SITE_URL + path


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        context = {**context, "site_url": settings.SITE_URL}
        if template_prefix in ("account/email/unknown_account", "account/email/account_already_exists"):
            context["signup_url"] = site_link(reverse("account_signup"))
            context["password_reset_url"] = site_link(reverse("account_reset_password"))
            context["login_url"] = site_link(reverse("account_login"))
        super().send_mail(template_prefix, email, context)

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return site_link(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return site_link(path.replace("UID-KEY", quote(key)))

    def save_user(self, request, user, form, commit=True):
        # Mails and alerts later go out in the language the person signed up in.
        user.preferred_language = translation.get_language() or "it"
        return super().save_user(request, user, form, commit)

    def send_account_already_exists_mail(self, email: str) -> None:
        # allauth's mail names only the password reset; the owner who simply forgot they had signed up
        # needs the login page too.
        from allauth.core import context

        from apps.accounts.models import User

        request = context.request
        owner = User.objects.filter(email__iexact=email).only("preferred_language").first()
        # In the owner's language, not the language of whoever typed their address.
        with translation.override(getattr(owner, "preferred_language", None) or translation.get_language()):
            self._send_account_already_exists_mail(request, email)

    def _send_account_already_exists_mail(self, request, email: str) -> None:
        from allauth.account.internal import flows

        self.send_mail(
            "account/email/account_already_exists",
            email,
            {
                "email": email,
                "login_url": request.build_absolute_uri(reverse("account_login")),
                "password_reset_url": flows.password_reset.get_reset_password_url(request),
            },
        )

    def pre_authenticate(self, request, **credentials) -> None:
        # allauth refuses every login past the per-account ceiling, the owner's too. Past it (and only when
        # this network is below its own limit) the login goes on by e-mailed link instead: see login_link.
        room = request is not None and not request.user.is_authenticated and login_link.network_has_room(request)
        try:
            super().pre_authenticate(request, **credentials)
        except forms.ValidationError:
            if not room:
                raise
            login_link.offer_link(request, credentials)
            raise forms.ValidationError(
                _(
                    "There have been many failed attempts to log in to this account in the last hour, so logging "
                    "in takes one more step. If the password is right, we have sent a link to the account's "
                    "e-mail address: open it in this browser within %(minutes)d minutes. If no e-mail arrives, "
                    "check the address and the password, or reset the password."
                )
                % {"minutes": login_link.LINK_MAX_AGE // 60},
                code="login_link_sent",
            ) from None

    def get_client_ip(self, request) -> str:
        # allauth's per-IP rate limits see the same client as django-axes (TRUSTED_PROXY_COUNT).
        return client_ip(request) or super().get_client_ip(request)

    def clean_email(self, email: str) -> str:
        # Sign-up, adding an address and password reset all pass here. Without this check allauth would cut a
        # longer address to the column's 254 characters and create an account for an address nobody owns.
        if len(email) > EMAIL_MAX_LENGTH:
            raise forms.ValidationError(
                _("An e-mail address cannot be longer than %(limit)d characters (this one has %(length)d).")
                % {"limit": EMAIL_MAX_LENGTH, "length": len(email)},
                code="max_length",
            )
        return super().clean_email(email)


class MfaAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery seeds are encrypted with the identifier keys (allauth stores them plain)."""

    def encrypt(self, text: str) -> str:
        return base64.b64encode(crypto.encrypt(text, context="mfa")).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(base64.b64decode(encrypted_text), context="mfa")
