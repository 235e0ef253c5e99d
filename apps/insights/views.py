"""Statistics on the breach pages and the home page, the organisation dashboards, their CSV exports, and the
methods page. Every figure comes from selectors.statistics(); views only choose whose and which period."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.accounts.audit import audit
from apps.accounts.decorators import second_factor_required
from apps.accounts.models import AuditEvent, Membership
from apps.accounts.roles import can_manage_people, dashboard_organisations, is_officer
from apps.breaches.models import Breach, Exposure, Organisation
from apps.core import formats
from apps.insights import cache, charts, perturbation
from apps.insights.exports import statistics_csv
from apps.insights.figures import breach_markers, figures_for
from apps.insights.forms import StatisticsFilterForm
from apps.insights.linkage.page import evidence_section, method_figures, onset_marker
from apps.insights.linkage.published import ORGANISATION
from apps.insights.models import ANY
from apps.insights.periods import Period
from apps.insights.release import SelectionTooNarrow, min_people
from apps.insights.selectors import registered_people, statistics


def statistics_context(
    request,
    *,
    breach=None,
    organisation=None,
    breach_choices=None,
    prefix="chart",
    markers=None,
    filters=True,
    extra_markers=(),
) -> dict:
    """The filter form, the figures and their charts for one scope, or the reason there are none."""
    form = StatisticsFilterForm(request.GET or None, breach=breach, breach_choices=breach_choices)
    period, channel, chosen_breach = form.selection() if filters else (Period(), ANY, None)
    breach = breach or chosen_breach
    context = {
        "form": form if filters else None,
        "stats": None,
        "figures": [],
        "refused": None,
        "min_people": min_people(),
        "noise_max": perturbation.noise_max(),
        # The filters are rendered from the query string and the breach choices alone; a breach select of a
        # hundred options took longer to render than a cached dashboard took to serve (bench/RESULTS.md).
        "filters_key": cache.key(
            "filters", request.path, sorted(request.GET.lists()), [b.pk for b in breach_choices or ()]
        ),
        "figures_seconds": settings.INSIGHTS_CACHE_SECONDS,
        "fold_figures": False,  # the home page folds all but the first chart on a phone
    }
    if filters and form.is_bound and not form.is_valid():
        return context
    narrow = organisation is not None and breach is not None
    if narrow and not registered_people(breach=breach, organisation=organisation)["total"]:
        context["refused"] = _(
            "Fewer than %(k)d people of this organisation are registered in this breach, so its figures are not shown."
        ) % {"k": min_people()}
        return context
    try:
        stats = statistics(breach=breach, organisation=organisation, period=period, channel=channel)
    except SelectionTooNarrow as refusal:
        filtered = filters and form.is_bound and form.has_changed()
        context["refused"] = (
            refusal.message
            if filtered
            else _("Figures appear here once at least %(k)d people have reported contacts.") % {"k": min_people()}
        )
        return context
    if markers is None and breach is None and organisation is not None:
        own = Breach.objects.filter(organisation=organisation, is_sensitive=False).order_by("occurred_on")
        markers = [m for b in own for m in breach_markers(b)]  # the organisation's own breaches
    markers = breach_markers(breach) if markers is None else markers
    markers = [*markers, *extra_markers]  # e.g. the surges' onsets on a dashboard
    # The charts and their tables are the costly part of a page: the template keeps them rendered under
    # `figures_key` (apps/insights/cache.py), and the charts are drawn only when that fragment is not cached.
    drawn = (breach and breach.pk, organisation and organisation.pk, period, channel, prefix, tuple(markers))
    context.update(
        stats=stats,
        figures=lambda: figures_for(stats, markers=markers, prefix=prefix),
        figures_key=cache.key("figures", *drawn, min_people()),
    )
    context["period_label"] = period_label(period)
    current, previous = period.trend_periods()
    context["trend_labels"] = (period_label(current), period_label(previous))
    return context


def period_label(period: Period) -> str:
    """ "all time", "March 2025", "September – November 2026" ("settembre–novembre 2026") or "December 2024 –
    January 2025", in the active language."""
    if period.all_time:
        return _("all time")
    return formats.month_range(period.start, period.end)


def national_statistics_context(request) -> dict:
    """The home page's figures: everyone's contacts, all time, with the dates of the latest public breaches."""
    recent = Breach.objects.public().order_by("-occurred_on")[:3]
    markers = [charts.Marker(day=b.occurred_on, label=b.title[:24]) for b in recent]
    return statistics_context(request, prefix="home", markers=markers, filters=False)


@require_GET
def breach_csv(request, slug):
    breach = get_object_or_404(Breach.objects.public(), slug=slug)
    context = statistics_context(request, breach=breach)
    return _csv_response(context, f"breachwatch-{breach.slug}-statistics.csv")


# --- Organisation dashboards (HR and union representatives; officers) --------------------------------------


INDEX_PAGE_SIZE = 20  # an officer sees every organisation; each row reads one (cached) statistics()


@second_factor_required
def dashboard_index(request):
    """The organisations whose dashboards the user may open, each with its headline figures (all time)."""
    organisations = dashboard_organisations(request.user).only("name", "slug").order_by("name", "pk")
    page = Paginator(organisations, INDEX_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"organisation": organisation, **_headline(organisation)} for organisation in page]
    audit(actor=request.user, action=AuditEvent.Action.VIEWED, target="dashboard index", organisations=len(rows))
    current, previous = Period().trend_periods()
    context = {
        "page": page,
        "rows": rows,
        "min_people": min_people(),
        "trend_labels": (period_label(current), period_label(previous)),
    }
    return render(request, "insights/dashboard_index.html", context)


def _headline(organisation) -> dict:
    """The figures the dashboard itself opens with, read through statistics() (the same cached entry the
    dashboard then reads), or why there are none: nothing here counts or rounds a figure of its own."""
    registered = registered_people(organisation=organisation)
    if registered["total"] is None:
        return {"registered": registered, "stats": None}
    try:
        stats = statistics(organisation=organisation)
    except SelectionTooNarrow:
        return {"registered": registered, "stats": None}
    return {"registered": registered, "stats": stats}


def _dashboard_organisation(request, slug) -> Organisation:
    """The organisation if the user may see its dashboard; 404 otherwise (its existence is not confirmed)."""
    return get_object_or_404(dashboard_organisations(request.user), slug=slug)


def _breach_choices(request, organisation):
    """Breaches whose people work here, and the organisation's own; sensitive ones only for officers.
    Cached until the figures change (a new exposure or membership goes through the rollups)."""
    officer = is_officer(request.user)
    return cache.remember(
        "breach-choices", (organisation.pk, officer), lambda: _breaches_of(organisation, officer=officer)
    )


def _breaches_of(organisation, *, officer: bool) -> list[Breach]:
    # A semi-join on the members' exposures: joining breaches to every exposure and membership and then
    # DISTINCT took 170 ms at 100,000 people (bench/RESULTS.md, issue 6).
    members = Membership.objects.active().filter(organisation=organisation).values("person")
    theirs = Exposure.objects.filter(person__in=members).values("breach")
    breaches = Breach.objects.filter(Q(organisation=organisation) | Q(pk__in=theirs)).order_by("-occurred_on")
    return list(breaches if officer else breaches.filter(is_sensitive=False))


@second_factor_required
@require_GET
def dashboard(request, slug):
    organisation = _dashboard_organisation(request, slug)
    registered = registered_people(organisation=organisation)
    context = {
        "organisation": organisation,
        "registered": registered,
        "can_manage_people": can_manage_people(request.user, organisation),
        "printed_at": timezone.now(),  # the print header says when the figures were taken
    }
    if not registered["total"]:  # fewer than K proven people, or none
        context.update(
            refused=_(
                "Fewer than %(k)d people of this organisation are registered, so no figures are shown yet. "
                "Invite them from the people page."
            )
            % {"k": min_people()},
            form=None,
            stats=None,
            figures=[],
            min_people=min_people(),
            evidence_sections=[],
        )
    else:
        choices = _breach_choices(request, organisation)
        chosen = StatisticsFilterForm(request.GET or None, breach_choices=choices).selection()[2]
        context["evidence_sections"] = _evidence_sections(organisation, chosen)
        onsets = [onset_marker(ev, _("Surge began")) for ev in context["evidence_sections"]]
        context.update(
            statistics_context(
                request,
                organisation=organisation,
                breach_choices=choices,
                prefix="dash",
                extra_markers=[m for m in onsets if m],
            )
        )
        context["participation"] = _participation(organisation, context["form"].selection()[2])
    audit(actor=request.user, action=AuditEvent.Action.VIEWED, organisation=organisation, target="dashboard")
    context["csv_url"] = reverse("insights:dashboard-csv", args=[organisation.slug]) + (
        "?" + request.GET.urlencode() if request.GET else ""
    )
    return render(request, "insights/dashboard.html", context)


@second_factor_required
@require_GET
def dashboard_csv(request, slug):
    organisation = _dashboard_organisation(request, slug)
    if not registered_people(organisation=organisation)["total"]:
        raise Http404
    context = statistics_context(
        request, organisation=organisation, breach_choices=_breach_choices(request, organisation)
    )
    audit(actor=request.user, action=AuditEvent.Action.EXPORTED, organisation=organisation, target="dashboard CSV")
    return _csv_response(context, f"breachwatch-{organisation.slug}-dashboard.csv")


def _evidence_sections(organisation, chosen_breach) -> list[dict]:
    """The published evidence of the chosen breach, else of the organisation's own public breaches: the same
    released figures as the breach page (nothing here is narrower, so comparing the two gives nothing)."""
    breaches = (
        [chosen_breach]
        if chosen_breach
        else Breach.objects.filter(organisation=organisation, is_sensitive=False).order_by("-occurred_on")
    )
    return [evidence_section(breach, ORGANISATION) for breach in breaches]


def _participation(organisation, chosen_breach) -> list[dict]:
    """Registered people of the organisation in each of its own breaches, against the breach's size."""
    breaches = (
        [chosen_breach] if chosen_breach else Breach.objects.filter(organisation=organisation, is_sensitive=False)
    )
    rows = []
    for breach in breaches:
        registered = registered_people(breach=breach, organisation=organisation)
        share = None
        if registered["total"] and breach.approx_people:
            share = round(100 * registered["total"] / breach.approx_people, 1)
        rows.append({"breach": breach, "registered": registered, "size": breach.approx_people, "share": share})
    return rows


def _csv_response(context: dict, filename: str) -> HttpResponse:
    if context["stats"] is None:
        message = context["refused"] or "; ".join(
            str(m) for messages in context["form"].errors.values() for m in messages
        )
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(statistics_csv(context["stats"]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def methods(request):
    return render(
        request,
        "insights/methods.html",
        {
            "min_people": min_people(),
            "noise_max": perturbation.noise_max(),
            "noise_variance": floatformat(perturbation.noise_variance(), -1),
            "zero_noise_percent": round(100 * perturbation.zero_noise_chance()),
            **method_figures(),
        },
    )
