from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.roles import has_mfa, is_officer, needs_mfa
from apps.accounts.two_factor import remember_next, session_passed_mfa


def second_factor_required(view):
    """For pages of HR, unions and officers: logged in, holding such a role, and *this session* having passed
    TOTP (apps/accounts/two_factor.py): an account with TOTP is not enough."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not needs_mfa(request.user):
            raise PermissionDenied
        if not has_mfa(request.user):
            messages.warning(request, _("Set up two-factor authentication to open this page."))
            remember_next(request, request.get_full_path())
            return redirect("accounts:mfa_enrol")
        if not session_passed_mfa(request):
            # A session that logged in with the password alone, e.g. before the account enrolled.
            messages.warning(request, _("Enter a code from your authenticator app to open this page."))
            return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}")
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
