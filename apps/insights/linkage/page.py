"""The section "Is this surge linked to the breach?" of the breach page and the organisation dashboards: the
stored evidence, published (published.py), with its labels in the reader's language. Reads one stored row:
nothing is computed per request."""

from __future__ import annotations

from apps.breaches.models import Breach, DataCategory
from apps.core import formats
from apps.insights.charts import Marker
from apps.insights.linkage.published import as_dates, published_evidence
from apps.insights.models import BreachEvidence
from apps.reports.models import Channel, Script


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def evidence_section(breach: Breach, audience: str) -> dict:
    """The published evidence of `breach` for `audience`, dates as dates and codes as words."""
    stored = BreachEvidence.objects.filter(breach=breach).first()
    evidence = as_dates(published_evidence(stored, audience))
    evidence["breach_obj"] = breach
    for campaign in evidence["campaigns"]:
        campaign["script_labels"] = [_label(Script, v) for v in campaign["scripts"]]
        campaign["channel_labels"] = [_label(Channel, v) for v in campaign["channels"]]
        campaign["country_labels"] = [formats.country_name(v) or v for v in campaign["countries"]]
    knowledge = evidence.get("caller_knowledge")
    if knowledge:
        for row in knowledge["categories"]:
            row["label"] = _label(DataCategory, row["category"])
    return evidence


def onset_marker(evidence: dict, label: str) -> Marker | None:
    """The surge's onset as a timeline marker (its interval shaded), when the section shows one."""
    onset = evidence.get("onset")
    if not evidence.get("shown") or not onset:
        return None
    return Marker(day=onset["date"], label=label, kind="onset", low=onset["low"], high=onset["high"])
