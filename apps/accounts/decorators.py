from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from apps.accounts.roles import has_mfa, is_officer, needs_mfa


def second_factor_required(view):
    """For pages of HR, unions and officers: logged in, holding such a role, and with TOTP set up."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not needs_mfa(request.user):
            raise PermissionDenied
        if not has_mfa(request.user):
            messages.warning(request, _("Set up two-factor authentication to open this page."))
            return redirect("mfa_activate_totp")
        return view(request, *args, **kwargs)

    return wrapper


def officer_required(view):
    @second_factor_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_officer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
