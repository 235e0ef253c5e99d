"""The section "Is this surge linked to the breach?" of the breach page and the organisation dashboards: the
stored evidence, published (published.py), with its labels in the reader's language. Reads one stored row:
nothing is computed per request."""

from __future__ import annotations

import inspect

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.breaches.models import Breach, DataCategory
from apps.core import formats
from apps.insights.charts import Marker
from apps.insights.linkage import compute, gather, stats
from apps.insights.linkage.published import as_dates, published_evidence
from apps.insights.models import BreachEvidence
from apps.phones.display import as_dialled
from apps.phones.enrich import LineType
from apps.reports.models import Channel, Script

# The section lists this many linked numbers and campaigns; the rest fold under "show all".
FIRST_ROWS = 10


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def evidence_section(breach: Breach, audience: str) -> dict:
    """The published evidence of `breach` for `audience`, dates as dates and codes as words."""
    stored = BreachEvidence.objects.filter(breach=breach).first()
    evidence = as_dates(published_evidence(stored, audience))
    evidence["breach_obj"] = breach
    evidence["first_rows"] = FIRST_ROWS
    for number in evidence["linked_numbers"]:
        number["display"] = as_dialled(number["e164"])
    for campaign in evidence["campaigns"]:
        campaign["script_labels"] = [_label(Script, v) for v in campaign["scripts"]]
        campaign["channel_labels"] = [_label(Channel, v) for v in campaign["channels"]]
        campaign["country_labels"] = [formats.country_name(v) or v for v in campaign["countries"]]
        campaign["line_type_labels"] = [_label(LineType, v) for v in campaign["line_types"]]
        campaign["numbers_display"] = [(n, as_dialled(n)) for n in campaign["numbers"]]
    onset = evidence.get("onset")
    if onset and onset.get("p_value"):
        # "≤ 0.001" as the reader writes numbers ("≤ 0,001")
        comparator, bound = onset["p_value"].split(" ")
        onset["p_text"] = f"{comparator} {formats.number(float(bound), decimals=len(bound.split('.')[-1]))}"
    if onset:
        onset["lag_text"] = _lag_sentence(onset)
    knowledge = evidence.get("caller_knowledge")
    if knowledge:
        for row in knowledge["categories"]:
            row["label"] = _label(DataCategory, row["category"])
    return evidence


def _lag(days: int, event: str) -> str:
    """'4 days after the breach occurred', '73 days before the people were told', 'the day the breach occurred'."""
    if days == 0:
        return _("the very day the breach occurred") if event == "occurred" else _("the very day the people were told")
    n = {"n": formats.number(abs(days))}
    if event == "occurred":
        if days > 0:
            return ngettext("%(n)s day after the breach occurred", "%(n)s days after the breach occurred", days) % n
        return ngettext("%(n)s day before the breach occurred", "%(n)s days before the breach occurred", -days) % n
    if days > 0:
        return ngettext("%(n)s day after the people were told", "%(n)s days after the people were told", days) % n
    return ngettext("%(n)s day before the people were told", "%(n)s days before the people were told", -days) % n


def _lag_sentence(onset: dict) -> str:
    """The onset's distance from the breach and from its disclosure, in one sentence."""
    occurred = _lag(onset["lag_from_occurred_days"], "occurred")
    if onset.get("lag_from_disclosed_days") is None:
        return _("That is %(occurred)s.") % {"occurred": occurred}
    told = _lag(onset["lag_from_disclosed_days"], "told")
    return _("That is %(occurred)s, and %(told)s.") % {"occurred": occurred, "told": told}


def onset_marker(evidence: dict, label: str) -> Marker | None:
    """The surge's onset as a timeline marker (its interval shaded), when the section shows one."""
    onset = evidence.get("onset")
    if not evidence.get("shown") or not onset:
        return None
    return Marker(day=onset["date"], label=label, kind="onset", low=onset["low"], high=onset["high"])


def method_figures() -> dict:
    """The constants the methods page quotes (/methods/#evidence), read from the code that uses them so the page
    cannot drift from it. The onset's segment length and number of draws are detect_onset()'s defaults, which
    compute.py uses."""
    onset_defaults = inspect.signature(stats.detect_onset).parameters
    return {
        "baseline_days": compute.BASELINE_DAYS,
        "cap": gather.MAX_CONTACTS_PER_PERSON_DAY,
        "min_segment": onset_defaults["min_segment"].default,
        "draws": onset_defaults["n_boot"].default,
        "onset_alpha": compute.ONSET_ALPHA,
        "link_alpha": compute.LINK_ALPHA,
        "min_targets": compute.MIN_TARGETS,
        # p = 0.5 and m = 100 numbers tested: the example of the thin-campaign floor
        "min_targets_example": stats.min_targets_to_link(0.5, 100, compute.LINK_ALPHA),
    }
