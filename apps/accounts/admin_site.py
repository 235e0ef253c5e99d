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
        from apps.accounts.roles import has_mfa  # models are not loaded when the admin app config is

        return super().has_permission(request) and has_mfa(request.user)

    def login(self, request, extra_context=None):
        from apps.accounts.roles import has_mfa

        # One login for the whole site: allauth's (with throttling and the second factor).
        if request.user.is_authenticated:
            if request.user.is_staff and not has_mfa(request.user):
                return redirect("mfa_activate_totp")
            raise PermissionDenied
        next_url = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


class MfaAdminConfig(AdminConfig):
    """Installed in place of django.contrib.admin so that admin.site is an MfaAdminSite."""

    default_site = "apps.accounts.admin_site.MfaAdminSite"
