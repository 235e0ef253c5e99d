from urllib.parse import urlencode

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class MfaAdminSite(AdminSite):
    """The admin holds everything, so officers reach it only after setting up two-factor authentication.
    Branded as the site (not "Django administration"), in the officer's language."""

    site_header = "BreachWatch"
    site_title = "BreachWatch"
    index_title = _("Administration")

    def has_permission(self, request):
        # Models are not loaded when the admin app config is.
        from apps.accounts.roles import has_mfa
        from apps.accounts.two_factor import session_passed_mfa

        return super().has_permission(request) and has_mfa(request.user) and session_passed_mfa(request)

    def login(self, request, extra_context=None):
        from apps.accounts.roles import has_mfa

        # One login for the whole site: allauth's (with throttling and the second factor).
        next_url = request.GET.get("next") or reverse("admin:index")
        if request.user.is_authenticated:
            if request.user.is_staff and not has_mfa(request.user):
                return redirect(f"{reverse('accounts:mfa_enrol')}?{urlencode({'next': next_url})}")
            if request.user.is_staff:  # enrolled, but this session has not passed the second factor
                return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': next_url})}")
            raise PermissionDenied
        return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


class MfaAdminConfig(AdminConfig):
    """Installed in place of django.contrib.admin so that admin.site is an MfaAdminSite."""

    default_site = "apps.accounts.admin_site.MfaAdminSite"
