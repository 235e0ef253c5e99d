"""Public breach pages and a person's own "am I affected?" answers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.breaches.advice import advice_for
from apps.breaches.matching import exposure_declare
from apps.breaches.models import Breach
from apps.breaches.reviews import declarations_rejected_for
from apps.breaches.selectors import breaches_for_public_list, breaches_open_to_declaration, exposures_for_person
from apps.insights.figures import breach_markers
from apps.insights.linkage.page import evidence_section, onset_marker
from apps.insights.linkage.published import PUBLIC
from apps.insights.views import statistics_context


def breach_list(request):
    return render(request, "breaches/breach_list.html", {"breaches": breaches_for_public_list()})


def breach_detail(request, slug):
    breach = get_object_or_404(Breach.objects.select_related("organisation"), slug=slug)
    if breach.is_sensitive:
        raise Http404  # never listed or shown publicly, not even its existence
    evidence = evidence_section(breach, PUBLIC)
    onset = onset_marker(evidence, _("Surge began"))
    context = {"breach": breach, "advice": advice_for(breach.data_categories), "evidence": evidence}
    markers = breach_markers(breach) + ([onset] if onset else [])  # the surge's onset on the timeline
    context.update(statistics_context(request, breach=breach, markers=markers))
    query = "?" + request.GET.urlencode() if request.GET else ""
    context["csv_url"] = reverse("insights:breach-csv", args=[breach.slug]) + query
    return render(request, "breaches/breach_detail.html", context)


@login_required
def my_breaches(request):
    exposures = exposures_for_person(request.user)
    for entry in exposures:
        entry["advice"] = advice_for(entry["breach"].data_categories)
    return render(
        request,
        "breaches/my_breaches.html",
        {
            "exposures": exposures,
            "declarable": breaches_open_to_declaration(request.user),
            "not_confirmed": declarations_rejected_for(request.user),
        },
    )


@login_required
@require_POST
def declare(request, slug):
    breach = get_object_or_404(breaches_open_to_declaration(request.user), slug=slug)
    exposure_declare(person=request.user, breach=breach)
    messages.success(request, _("Noted: you were in “%(title)s”.") % {"title": breach.title})
    return redirect("breaches:mine")
