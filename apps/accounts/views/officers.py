from django.core.paginator import Paginator
from django.shortcuts import render

from apps.accounts.decorators import officer_required
from apps.accounts.models import AuditEvent


@officer_required
def audit_log_view(request):
    events = AuditEvent.objects.select_related("organisation").order_by("-at")
    action = request.GET.get("action")
    if action in AuditEvent.Action.values:
        events = events.filter(action=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/audit_log.html",
        {"page": page, "actions": AuditEvent.Action.choices, "current_action": action},
    )
