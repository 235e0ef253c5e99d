from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.core.health import overall_status


@require_GET
def home(request):
    """What BreachWatch is, and the national picture: every reported contact, suppressed like everywhere."""
    from apps.insights.views import national_statistics_context

    return render(request, "core/home.html", national_statistics_context(request))


@never_cache
@require_GET
def healthz(request):
    status = overall_status()
    return JsonResponse(status, status=200 if status["ok"] else 503)
