"""Reporting several contacts at once: paste a list or upload a call log, check the preview, then commit."""

import secrets
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from apps.core.formats import number
from apps.reports.bulk import BulkInputError, parse_call_log, parse_pasted, preview, rows_without_time
from apps.reports.forms import BulkReportForm
from apps.reports.limits import ReportRateLimited
from apps.reports.services import reports_submit_many

SESSION_KEY = "reports_bulk_preview"


@login_required
@require_http_methods(["GET", "POST"])
def bulk_view(request):
    if request.method == "POST" and "confirm" in request.POST:
        return _commit(request)
    form = BulkReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rows = parse_pasted(data["pasted"] or "")
            if data["call_log"]:
                rows += parse_call_log(data["call_log"].read())
        except BulkInputError as error:
            form.add_error(None, error.message)
        else:
            undated = rows_without_time(rows) if data["occurred_at"] is None else 0
            if undated:
                # One date for the whole list, rather than a preview refusing every line.
                form.add_error("occurred_at", _undated_message(undated, file_given=bool(data["call_log"])))
                return render(request, "reports/report_bulk.html", {"form": form})
            result = preview(
                rows,
                reporter=request.user,
                default_channel=data["channel"],
                default_when=data["occurred_at"],
                region_hint=data["region_hint"],
            )
            token = secrets.token_urlsafe(16)
            request.session[SESSION_KEY] = {"token": token, "rows": [row.to_session() for row in result.accepted]}
            return render(request, "reports/report_bulk_preview.html", {"preview": result, "token": token})
    return render(request, "reports/report_bulk.html", {"form": form})


def _commit(request):
    """Save the rows the preview accepted, all in one transaction, checked again by the same rules."""
    saved = request.session.get(SESSION_KEY) or {}
    if not saved or not secrets.compare_digest(saved.get("token", ""), request.POST.get("token", "")):
        messages.error(request, _("This preview has expired. Please start again."))
        return redirect("reports:bulk")
    rows = [
        {**row, "occurred_at": datetime.fromisoformat(row["occurred_at"])}
        for row in ({k: r[k] for k in ("caller_number", "channel", "occurred_at")} for r in saved["rows"])
    ]
    logged = [row["occurred_at"] for row, r in zip(rows, saved["rows"], strict=True) if r.get("from_call_log")]
    try:
        reports = reports_submit_many(
            reporter=request.user, rows=rows, call_log_since=timezone.localdate(min(logged)) if logged else None
        )
    except (ValidationError, ReportRateLimited) as error:
        problem = error.message if isinstance(error, ReportRateLimited) else " ".join(error.messages)
        messages.error(request, _("Nothing was saved: %(problem)s") % {"problem": problem})
        return redirect("reports:bulk")
    del request.session[SESSION_KEY]
    saved = ngettext("%(n)s report saved. Thank you.", "%(n)s reports saved. Thank you.", len(reports))
    messages.success(request, saved % {"n": number(len(reports))})
    return redirect("reports:mine")


def _undated_message(undated: int, *, file_given: bool) -> str:
    message = ngettext(
        "%(n)d line has no date. Give the date and time here, for all the lines without one, then check again.",
        "%(n)d lines have no date. Give one date and time here, for all the lines without one, then check again.",
        undated,
    ) % {"n": undated}
    if file_given:
        message += " " + _("Choose the call log file again too: a browser does not keep it.")
    return message
