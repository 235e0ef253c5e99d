"""Reporting a contact: the phone-first form and the page that follows it."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from apps.reports.forms import ReportForm
from apps.reports.limits import ReportRateLimited
from apps.reports.models import ContactReport
from apps.reports.scoring import PUBLIC_THRESHOLD
from apps.reports.selectors import number_breakdown
from apps.reports.services import report_submit


def add_service_errors(form, error: ValidationError) -> None:
    """Put report_clean()'s field errors on the form's fields (or on the form when it has no such field)."""
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


@login_required
@require_http_methods(["GET", "POST"])
def report_submit_view(request):
    form = ReportForm(request.POST or None, person=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            report = report_submit(reporter=request.user, via=ContactReport.Via.FORM, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        except ReportRateLimited as limited:
            form.add_error(None, limited.message)
            status = 429
        else:
            return redirect("reports:done", pk=report.pk)
    return render(request, "reports/report_form.html", {"form": form}, status=status)


@login_required
def report_done_view(request, pk):
    """The saved report and what BreachWatch knows about its number; only for the person who reported it."""
    report = get_object_or_404(ContactReport.objects.select_related("caller"), pk=pk, reporter=request.user)
    number = report.caller
    return render(
        request,
        "reports/report_done.html",
        {
            "report": report,
            "number": number,
            "breakdown": number_breakdown(number) if number.is_public else None,
            "threshold": PUBLIC_THRESHOLD,
        },
    )
