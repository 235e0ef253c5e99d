"""A person's own report pages: their reports, their personal blocklist, their API token."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token

from apps.reports.blocklists import blocklist_vcard
from apps.reports.selectors import numbers_that_called, reports_of_person


@login_required
def my_reports_view(request):
    page = Paginator(reports_of_person(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/my_reports.html",
        {"page": page, "blocklist_size": numbers_that_called(request.user).count()},
    )


@login_required
def my_blocklist_view(request):
    """The public numbers that contacted me, as one vCard contact to block."""
    body = blocklist_vcard(
        numbers_that_called(request.user),
        name=_("BreachWatch – numbers that contacted me"),
        uid=f"breachwatch-personal-{request.user.pk}",
    )
    response = HttpResponse(body, content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="breachwatch-my-blocklist.vcf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def api_token_view(request):
    """Create, replace or delete the token a phone app sends as `Authorization: Token <key>`."""
    if request.method == "POST":
        Token.objects.filter(user=request.user).delete()
        if request.POST.get("action") == "create":
            Token.objects.create(user=request.user)
            messages.success(request, _("Your new token is ready. The old one, if any, no longer works."))
        else:
            messages.success(request, _("Your token is deleted: apps using it can no longer report for you."))
        return redirect("reports:api_token")
    token = Token.objects.filter(user=request.user).first()
    response = render(request, "reports/api_token.html", {"token": token})
    response["Cache-Control"] = "private, no-store"
    return response
