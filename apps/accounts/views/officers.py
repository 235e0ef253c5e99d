"""The audit log for officers: a page at a time, filtered by action and dates, and as CSV (itself audited)."""

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from apps.accounts.audit import audit
from apps.accounts.audit_log import audit_csv_rows, audit_events, labelled
from apps.accounts.decorators import officer_required
from apps.accounts.forms import AuditFilterForm
from apps.accounts.models import AuditEvent

PAGE_SIZE = 50


def _filtered(request):
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, AuditEvent.objects.none()
    return form, audit_events(**(form.selection() if form.is_bound else {}))


@officer_required
@require_GET
def audit_log_view(request):
    form, events = _filtered(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    others = request.GET.copy()
    others.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "events": labelled(page),
        "page_query": others.urlencode(),
        "filters_query": others.urlencode(),
    }
    return render(request, "accounts/audit_log.html", context)


@officer_required
@require_GET
def audit_log_csv_view(request):
    form, events = _filtered(request)
    if form.is_bound and not form.is_valid():
        return render(request, "accounts/audit_log.html", {"form": form, "page": None, "events": []}, status=400)
    # The validated filters only (never whatever else the query string holds), logged before the file is
    # written: exporting the log is itself in the log, and in the file when the filters include it.
    chosen = form.cleaned_data if form.is_bound else {}
    filters = {name: str(value) for name, value in chosen.items() if value}
    audit(actor=request.user, action=AuditEvent.Action.EXPORTED, target="audit log CSV", filters=filters)
    response = StreamingHttpResponse(audit_csv_rows(events), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="breachwatch-audit-log-{stamp}.csv"'
    return response
