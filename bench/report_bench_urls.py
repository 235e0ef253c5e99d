"""The project's URLs plus a baseline for bench/report_api_load.py: a bare Django view that inserts the same
ContactReport row with no authentication, validation, enrichment, limits or counters."""

import json
import os

from django.http import JsonResponse
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from apps.reports import services
from apps.reports.models import ContactReport

if os.environ.get("BENCH_WITHOUT_COUNTERS"):
    # Informative run only (--without-counters): what the API costs when the counters are refreshed
    # elsewhere (e.g. by a worker), to show where the time goes. Never the default.
    services._refresh_caller_of = lambda report: None


@csrf_exempt
def baseline_insert(request):
    data = json.loads(request.body)
    reporter_id = int(os.environ["BENCH_BASELINE_REPORTER"])
    report = ContactReport.objects.create(
        reporter_id=reporter_id,
        contributor=reporter_id,
        caller_id=int(os.environ["BENCH_BASELINE_CALLER"]),
        channel=data["channel"],
        occurred_at=timezone.now(),
    )
    return JsonResponse({"id": report.pk}, status=201)


urlpatterns = [
    path("bench/baseline-insert/", baseline_insert),
    path("", include("breachwatch.urls")),
]
