from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.core.health import overall_status
from apps.core.operator import site_operator


@require_GET
def home(request):
    """The three things people come for (am I affected, report a contact, look up a number), then the national
    picture: every reported contact, suppressed like everywhere, and what BreachWatch is."""
    from apps.insights.views import national_statistics_context
    from apps.reports.forms import NumberSearchForm

    context = {**national_statistics_context(request), "number_form": NumberSearchForm(), "fold_figures": True}
    return render(request, "core/home.html", context)


@never_cache
@require_GET
def healthz(request):
    status = overall_status()
    return JsonResponse(status, status=200 if status["ok"] else 503)


@require_GET
def privacy(request):
    """The privacy notice (GDPR art. 13 and 14), filled in from the operator's settings."""
    from apps.accounts.services.invitations import TOKEN_MAX_AGE

    return render(
        request,
        "core/privacy.html",
        {
            "operator": site_operator(),
            "min_people": settings.INSIGHTS_MIN_PEOPLE,
            "invitation_days": TOKEN_MAX_AGE // 86400,
            "lockout_hours": settings.AXES_COOLOFF_TIME,
        },
    )


@require_GET
def about(request):
    return render(request, "core/about.html", {"operator": site_operator(), "min_people": settings.INSIGHTS_MIN_PEOPLE})


@require_GET
def contact(request):
    return render(request, "core/contact.html", {"operator": site_operator()})


@never_cache
@require_GET
def status(request):
    """/healthz in words, for people; the probes keep the JSON."""
    health = overall_status()
    return render(request, "core/status.html", {"health": health}, status=200 if health["ok"] else 503)
