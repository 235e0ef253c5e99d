"""Case officers' moderation pages: reports, a number's allowlist status, disputes. Every access is logged."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from apps.accounts.audit import audit
from apps.accounts.decorators import officer_required
from apps.accounts.models import AuditEvent
from apps.breaches.reviews import people_not_proven
from apps.reports.forms import DisputeDecisionForm, ReasonForm
from apps.reports.models import CallerNumber, ContactReport, NumberDispute
from apps.reports.moderation import (
    BULK_MAX_REPORTS,
    caller_number_allowlist,
    caller_number_allowlist_remove,
    dispute_resolve,
    report_hide,
    report_unhide,
    reports_hide_many,
    reports_unhide_many,
)
from apps.reports.moderation_forms import ModerationFilterForm
from apps.reports.selectors import reports_for_moderation

# A page of 50 answers in about 40 ms; 100 full rows took most of a 1.2 s answer (bench/officer_pages.py).
PAGE_SIZE = 50


def _error_text(error: ValidationError) -> str:
    return " ".join(message for messages in error.message_dict.values() for message in messages)


def _page(request, reports):
    """One page of reports, and the query string of the other pages (the filters without `page`)."""
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    not_proven = people_not_proven({report.reporter_id for report in page})
    for report in page:  # their reports count in no published figure until an officer reviews them
        report.reporter_not_proven = report.reporter_id in not_proven
    others = request.GET.copy()
    others.pop("page", None)
    return {"reports": page, "page_query": others.urlencode(), "bulk_max": BULK_MAX_REPORTS}


@officer_required
def moderation_view(request):
    """Reports filtered by number, channel, contact dates, weight, breach and status, sorted, a page at a time."""
    form = ModerationFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        reports = ContactReport.objects.none()
    else:
        reports = reports_for_moderation(**(form.selection() if form.is_bound else {}))
    filtered = form.is_bound and any(value for key, value in request.GET.items() if key not in ("page", "sort"))
    audit(actor=request.user, action=AuditEvent.Action.VIEWED, target="contact reports", query=filtered)
    context = {
        "form": form,
        "filtered": filtered,
        "open_disputes": NumberDispute.objects.filter(status=NumberDispute.Status.OPEN).count(),
        **_page(request, reports),
    }
    return render(request, "reports/officer_moderation.html", context)


@officer_required
@require_POST
def reports_bulk_view(request):
    """Hide (with one reason) or show again the reports ticked in the table."""
    try:
        report_ids = [int(value) for value in request.POST.getlist("report")]
    except ValueError:
        report_ids = []
    try:
        if request.POST.get("action") == "unhide":
            changed = reports_unhide_many(report_ids=report_ids, actor=request.user)
            done = ngettext("%(n)d report counts again.", "%(n)d reports count again.", changed)
        else:
            changed = reports_hide_many(report_ids=report_ids, actor=request.user, reason=request.POST.get("reason"))
            done = ngettext(
                "%(n)d report is hidden and no longer counts.", "%(n)d reports are hidden and no longer count.", changed
            )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, done % {"n": changed})
    return _back(request)


def _back(request):
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect("reports:moderation")


@officer_required
@require_POST
def report_hide_view(request, pk):
    report = get_object_or_404(ContactReport, pk=pk)
    if request.POST.get("action") == "unhide":
        report_unhide(report=report, actor=request.user)
        messages.success(request, _("The report counts again."))
    else:
        try:
            report_hide(report=report, actor=request.user, reason=request.POST.get("reason", ""))
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The report is hidden and no longer counts."))
    return _back(request)


@officer_required
def officer_number_view(request, e164):
    number = get_object_or_404(CallerNumber, e164=e164)
    audit(actor=request.user, action=AuditEvent.Action.VIEWED, target=f"caller number #{number.pk}")
    context = {
        "number": number,
        "disputes": number.disputes.order_by("-created_at"),
        "reason_form": ReasonForm(),
        **_page(request, reports_for_moderation(e164=number.e164)),
    }
    return render(request, "reports/officer_number.html", context)


@officer_required
@require_POST
def allowlist_view(request, e164):
    number = get_object_or_404(CallerNumber, e164=e164)
    if request.POST.get("action") == "remove":
        caller_number_allowlist_remove(number=number, actor=request.user)
        messages.success(request, _("The number is no longer marked legitimate."))
    else:
        try:
            caller_number_allowlist(number=number, actor=request.user, reason=request.POST.get("reason", ""))
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The number is marked legitimate: it will never be public or blocklisted."))
    return redirect("reports:officer_number", e164=number.e164)


@officer_required
def disputes_view(request):
    disputes = NumberDispute.objects.filter(status=NumberDispute.Status.OPEN).select_related("caller")
    audit(actor=request.user, action=AuditEvent.Action.VIEWED, target="number disputes")
    context = {"disputes": disputes.order_by("created_at"), "form": DisputeDecisionForm()}
    return render(request, "reports/officer_disputes.html", context)


@officer_required
@require_POST
def dispute_resolve_view(request, pk):
    dispute = get_object_or_404(NumberDispute.objects.select_related("caller"), pk=pk)
    form = DisputeDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to uphold or reject the dispute."))
        return redirect("reports:disputes")
    try:
        dispute_resolve(
            dispute=dispute,
            actor=request.user,
            uphold=form.cleaned_data["decision"] == "uphold",
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("reports:disputes")
