"""Officers' pages of the evidence: every breach's stored evidence, one breach's exact figures, recompute."""

from datetime import date
from functools import partial

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.audit import audit
from apps.accounts.decorators import officer_required
from apps.accounts.models import AuditEvent
from apps.breaches.models import Breach
from apps.core import formats
from apps.insights.linkage.compute import REASONS
from apps.insights.models import BreachEvidence
from apps.insights.tasks import breach_evidence_compute
from apps.reports.models import Channel, Script


@officer_required
@require_GET
def evidence_list(request):
    breaches = Breach.objects.select_related("organisation", "evidence").order_by("-occurred_on", "slug")
    rows = [{"breach": b, "evidence": getattr(b, "evidence", None)} for b in breaches]
    return render(request, "insights/officer_evidence_list.html", {"rows": rows})


@officer_required
@require_GET
def evidence_detail(request, slug):
    breach = get_object_or_404(Breach, slug=slug)
    evidence = BreachEvidence.objects.filter(breach=breach).first()
    context = {"breach": breach, "evidence": evidence}
    if evidence is not None:
        context["figures"] = officer_figures(evidence.result)
    return render(request, "insights/officer_evidence_detail.html", context)


@officer_required
@require_POST
def evidence_recompute(request, slug):
    breach = get_object_or_404(Breach, slug=slug)
    audit(actor=request.user, action=AuditEvent.Action.EVIDENCE_RECOMPUTED, target=f"breach {breach.slug}")
    transaction.on_commit(partial(breach_evidence_compute.delay, breach.pk))
    messages.success(request, _("The evidence is being recomputed; this page shows it once it is stored."))
    return redirect("insights:officer_evidence_detail", slug=breach.slug)


def officer_figures(result: dict) -> dict:
    """The stored JSON as the officer page shows it: dates as dates, reasons in the reader's language."""
    onset = result.get("onset")
    return {
        **result,
        "period_start": _date(result["period"]["start"]),
        "period_end": _date(result["period"]["end"]),
        "onset": onset and {**onset, **{k: _date(onset[k]) for k in ("date", "low", "high")}},
        "ratios": [
            (_("Members after the breach against people outside it, same days"), result.get("rate_ratio_vs_controls")),
            (_("Members after the breach against the same members before it"), result.get("rate_ratio_vs_before")),
            (
                _("Members after the disclosure against the same members before it"),
                result.get("rate_ratio_vs_before_disclosed"),
            ),
            (_("Difference in differences (members against people outside the breach)"), result.get("did")),
        ],
        "campaigns": [
            {
                **c,
                "first_seen": _date(c["first_seen"]),
                "last_seen": _date(c["last_seen"]),
                "scripts": [_label(Script, v) for v in c["scripts"]],
                "channels": [_label(Channel, v) for v in c["channels"]],
                "countries": [formats.country_name(v) or v for v in c["countries"]],
            }
            for c in result.get("campaigns", [])
        ],
        "reasons": [_reason_text(reason) for reason in result.get("not_enough_data", [])],
    }


def _reason_text(reason: dict) -> str:
    template = REASONS.get(reason.get("code"))
    if template is None:
        return reason.get("message", "")
    params = reason.get("params") or {}
    return str(template) % params if params else str(template)


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def _date(value):
    return date.fromisoformat(value) if value else None
