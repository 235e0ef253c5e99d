"""Login throttling hooks for django-axes and allauth's rate limits (see AXES_* and TRUSTED_PROXY_COUNT)."""

from django.conf import settings
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


def client_ip(request) -> str:
    """The address of the client, as far as this site can trust it: REMOTE_ADDR, unless TRUSTED_PROXY_COUNT
    reverse proxies stand in front, in which case the address the outermost of them appended to
    X-Forwarded-For. Addresses further left were written by the client and are never believed."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [ip.strip() for ip in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if ip.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return remote


def lockout_response(request, credentials, *args, **kwargs):
    message = _(
        "Too many failed attempts from this network for this account. Wait an hour, or reset your password: "
        "the reset link reaches only the account's owner."
    )
    return render(request, "accounts/locked_out.html", {"message": message}, status=429)
