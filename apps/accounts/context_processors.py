from django.utils.functional import SimpleLazyObject

from apps.accounts.roles import dashboard_organisations


def roles(request):
    """Whether the navigation offers organisation dashboards (computed only when a page asks)."""
    user = getattr(request, "user", None)
    return {
        "has_dashboards": SimpleLazyObject(
            lambda: bool(user and user.is_authenticated and dashboard_organisations(user).exists())
        )
    }
