"""Login throttling hooks for django-axes (see AXES_* in settings)."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.phones.hashing import email_digest


def axes_account_key(request, credentials) -> str:
    """The account axes locks, as a keyed hash: the attempt table never holds an e-mail address."""
    credentials = credentials or {}
    login = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if not login and request is not None:
        login = request.POST.get("login", "")
    return email_digest(login or "").hex()


def lockout_response(request, credentials, *args, **kwargs):
    message = _(
        "Too many failed attempts from this network for this account. Wait an hour, or reset your password: "
        "the reset link reaches only the account's owner."
    )
    return render(request, "accounts/locked_out.html", {"message": message}, status=429)
