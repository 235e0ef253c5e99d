"""Case officers review the breach memberships people declared themselves (apps.breaches.reviews)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from apps.accounts.audit import audit
from apps.accounts.decorators import officer_required
from apps.accounts.models import AuditEvent
from apps.breaches.models import Breach
from apps.breaches.reviews import declarations_pending, declarations_review

PAGE_SIZE = 50


@officer_required
def declarations_view(request):
    """Pending declarations, oldest first, optionally of one breach (?breach=slug), a page at a time."""
    breach = Breach.objects.filter(slug=request.GET.get("breach", "")).first()
    page = Paginator(declarations_pending(breach=breach), PAGE_SIZE).get_page(request.GET.get("page"))
    audit(actor=request.user, action=AuditEvent.Action.VIEWED, target="declarations")
    others = request.GET.copy()
    others.pop("page", None)
    context = {
        "declarations": page,
        "page_query": others.urlencode(),
        "breach": breach,
        "breaches": Breach.objects.filter(exposures__established="self_declared").distinct().order_by_title(),
    }
    return render(request, "breaches/officer_declarations.html", context)


@officer_required
@require_POST
def declarations_decide_view(request):
    """Accept or reject the ticked declarations (or the one whose row button was pressed)."""
    try:
        ids = [int(value) for value in request.POST.getlist("declaration")]
    except ValueError:
        ids = []
    accept = request.POST.get("decision") == "accept"
    decided = declarations_review(exposure_ids=ids, accept=accept, officer=request.user)
    if not decided:
        messages.error(request, _("Tick a declaration first."))
    elif accept:
        messages.success(
            request,
            ngettext(
                "%(n)d declaration confirmed: its reports count from now on.",
                "%(n)d declarations confirmed: their reports count from now on.",
                decided,
            )
            % {"n": decided},
        )
    else:
        messages.success(
            request,
            ngettext("%(n)d declaration not confirmed.", "%(n)d declarations not confirmed.", decided) % {"n": decided},
        )
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect("breaches:declarations")
