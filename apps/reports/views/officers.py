"""Case officers' moderation pages: reports, a number's allowlist status, disputes. Every access is logged."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.audit import audit
from apps.accounts.decorators import officer_required
from apps.accounts.models import AuditEvent
from apps.phones.normalise import InvalidPhoneNumber, normalise_phone
from apps.reports.forms import DisputeDecisionForm, ReasonForm
from apps.reports.models import CallerNumber, ContactReport, NumberDispute
from apps.reports.moderation import (
    caller_number_allowlist,
    caller_number_allowlist_remove,
    dispute_resolve,
    report_hide,
    report_unhide,
)

PAGE_SIZE = 100


def _error_text(error: ValidationError) -> str:
    return " ".join(message for messages in error.message_dict.values() for message in messages)


@officer_required
def moderation_view(request):
    """The latest reports, or those about one number (?q= in any format), with their notes."""
    reports = ContactReport.objects.select_related("caller").order_by("-created_at")
    query = request.GET.get("q", "").strip()
    if query:
        try:
            reports = reports.filter(caller__e164=normalise_phone(query, require_valid=False))
        except InvalidPhoneNumber as error:
            messages.error(request, error.message)
            reports = reports.none()
    audit(actor=request.user, action=AuditEvent.Action.VIEWED, target="contact reports", query=bool(query))
    return render(
        request,
        "reports/officer_moderation.html",
        {
            "reports": reports[:PAGE_SIZE],
            "query": query,
            "open_disputes": NumberDispute.objects.filter(status=NumberDispute.Status.OPEN).count(),
            "reason_form": ReasonForm(),
        },
    )


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
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect("reports:moderation")


@officer_required
def officer_number_view(request, e164):
    number = get_object_or_404(CallerNumber, e164=e164)
    audit(actor=request.user, action=AuditEvent.Action.VIEWED, target=f"caller number #{number.pk}")
    return render(
        request,
        "reports/officer_number.html",
        {
            "number": number,
            "reports": number.reports.order_by("-created_at")[:PAGE_SIZE],
            "disputes": number.disputes.order_by("-created_at"),
            "reason_form": ReasonForm(),
        },
    )


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
