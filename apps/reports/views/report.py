"""Reporting a contact: the phone-first form, the page that follows it, and correcting or deleting one's report."""

from functools import partial
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.insights.release import min_people
from apps.reports.forms import ReportForm
from apps.reports.limits import ReportRateLimited
from apps.reports.models import ContactReport
from apps.reports.published import number_breakdown
from apps.reports.scoring import PUBLIC_THRESHOLD
from apps.reports.services import report_correct, report_submit, report_withdraw

# As much of a number as the form's field takes; longer text is not a number anyway.
NUMBER_PREFILL_MAX = 100


def add_service_errors(form, error: ValidationError) -> None:
    """Put report_clean()'s field errors on the form's fields (or on the form when it has no such field)."""
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


@require_http_methods(["GET", "POST"])
def report_submit_view(request):
    """The report form; /report/?number=… fills the number in (the "Report this number" button of a number page).

    An anonymous visitor is told why an account is needed and how long signing up takes, with sign-up and
    login links that come back here with the same number, instead of being bounced to a bare login form."""
    number = request.GET.get("number", "")[:NUMBER_PREFILL_MAX]
    if not request.user.is_authenticated:
        back = f"{request.path}?{urlencode({'number': number})}" if number else request.path
        return render(request, "reports/report_sign_in.html", {"next": back, "number": number})
    form = ReportForm(request.POST or None, person=request.user, initial={"caller_number": number} if number else None)
    report, status = _save(request, form, partial(report_submit, reporter=request.user, via=ContactReport.Via.FORM))
    if report is not None:
        return redirect("reports:done", pk=report.pk)
    return render(request, "reports/report_form.html", {"form": form}, status=status)


def _save(request, form, save) -> tuple[ContactReport | None, int]:
    """For a posted, valid form: save(**its values), and the report saved; else None, with the service's
    errors on the form, and the status to answer it with (429 past a daily limit)."""
    if request.method != "POST" or not form.is_valid():
        return None, 200
    try:
        return save(**form.service_kwargs()), 200
    except ValidationError as error:
        add_service_errors(form, error)
    except ReportRateLimited as limited:
        form.add_error(None, limited.message)
        return None, 429
    return None, 200


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
            "min_people": min_people(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_edit_view(request, pk):
    """Correct one's own report (not one a case officer hid): the same form, the same rules."""
    report = get_object_or_404(
        ContactReport.objects.select_related("caller"), pk=pk, reporter=request.user, hidden=False
    )
    form = ReportForm(request.POST or None, person=request.user, initial=ReportForm.initial_of(report))
    try:
        corrected, status = _save(request, form, partial(report_correct, report=report, reporter=request.user))
    except ContactReport.DoesNotExist:  # hidden or deleted meanwhile
        raise Http404 from None
    if corrected is not None:
        return redirect("reports:done", pk=report.pk)  # which says it is saved, as corrected
    return render(request, "reports/report_form.html", {"form": form, "correcting": report}, status=status)


@login_required
@require_POST
def report_withdraw_view(request, pk):
    """Delete one's own report, made by mistake: it leaves every figure."""
    report = get_object_or_404(ContactReport, pk=pk, reporter=request.user)
    try:
        report_withdraw(report=report, reporter=request.user)
    except ContactReport.DoesNotExist:  # deleted meanwhile (a second click)
        raise Http404 from None
    messages.success(request, _("Your report is deleted."))
    return redirect("reports:mine")
