"""What a number's page and the API say first: a verdict in words (with its colour on the page) and its reason.

The person reading it was just called. The verdict is worded from what the page already shows: the distinct
reporters as published (apps/reports/published.py: "fewer than K" below K proven people, else perturbed, never
the live counter), the most common script, open disputes and the allowlist. A number below the public
threshold gets the same verdict whether or not anyone reported it, as its page does, so the verdict never tells
that someone did.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.core.formats import number as number_format
from apps.insights.release import min_people
from apps.phones.display import as_dialled
from apps.reports.models import CallerNumber, Script
from apps.reports.scoring import PUBLIC_THRESHOLD

# The scripts whose callers want money, card data or access: the ones the DOMAIN.md cases end in a loss.
SCAM_SCRIPTS = {
    Script.FAKE_AMAZON_VOUCHER,
    Script.FAKE_TECH_SUPPORT,
    Script.TRADING_CRYPTO,
    Script.FAKE_INPS_MINISTRY_POLICE,
    Script.FAKE_BANK_PARCEL,
}


class Verdict(models.TextChoices):
    SCAM = "scam", _("Probably a scam")
    UNWANTED = "unwanted", _("Unwanted contacts")
    DISPUTED = "disputed", _("Reported, but disputed")
    NOT_ENOUGH_EVIDENCE = "not_enough_evidence", _("Not enough evidence yet")
    LEGITIMATE = "legitimate", _("Known legitimate number")


def number_verdict(number: CallerNumber | None, breakdown: dict | None = None, *, e164: str = "") -> dict:
    """{"verdict": a Verdict value, "label", "reason", "display"} for a number (None: never reported, then
    `e164` says which); "display" is the number as it is dialled from Italy.

    `breakdown` is selectors.number_breakdown(number), needed for a public number only."""
    if number is not None and number.is_allowlisted:
        reason = _("Case officers checked it and found it legitimate: %(why)s") % {"why": number.allowlist_reason}
        return _verdict(Verdict.LEGITIMATE, reason, number.e164)
    if number is None or not number.is_public:
        reason = ngettext(
            "Fewer than %(k)d different person has reported it: it may be harmless, or a new number.",
            "Fewer than %(k)d different people have reported it: it may be harmless, or a new number.",
            PUBLIC_THRESHOLD,
        ) % {"k": PUBLIC_THRESHOLD}
        return _verdict(Verdict.NOT_ENOUGH_EVIDENCE, reason, number.e164 if number else e164)
    breakdown = breakdown or {}
    people = (breakdown.get("totals") or {}).get("reporters")
    if number.legitimate_evidence > 0:
        if people is None:
            reason = _(
                "Fewer than %(k)s people reported it, but someone says it is legitimate: a case officer is checking."
            ) % {"k": min_people()}
        else:
            reason = ngettext(
                "%(n)s person reported it, but someone says it is legitimate: a case officer is checking.",
                "%(n)s people reported it, but someone says it is legitimate: a case officer is checking.",
                people,
            ) % {"n": number_format(people)}
        return _verdict(Verdict.DISPUTED, reason, number.e164)
    top = breakdown.get("top_script")
    if top is None or top["script"] == Script.OTHER:
        if people is None:
            reason = _("Fewer than %(k)s people reported it as an unwanted contact.") % {"k": min_people()}
        else:
            reason = ngettext(
                "%(n)s person reported it as an unwanted contact.",
                "%(n)s people reported it as an unwanted contact.",
                people,
            ) % {"n": number_format(people)}
        return _verdict(Verdict.UNWANTED, reason, number.e164)
    about = _lower_first(str(top["label"]))
    if people is None:
        reason = _("Fewer than %(k)s people reported it; most often: %(about)s.") % {"k": min_people(), "about": about}
    else:
        reason = ngettext(
            "%(n)s person reported it; most often: %(about)s.",
            "%(n)s people reported it; most often: %(about)s.",
            people,
        ) % {"n": number_format(people), "about": about}
    return _verdict(Verdict.SCAM if top["script"] in SCAM_SCRIPTS else Verdict.UNWANTED, reason, number.e164)


def _verdict(verdict: Verdict, reason: str, e164: str) -> dict:
    return {"verdict": verdict.value, "label": str(verdict.label), "reason": reason, "display": as_dialled(e164)}


def _lower_first(text: str) -> str:
    """Lower-case "Fake Amazon voucher" inside a sentence; an acronym ("INPS …") keeps its capitals."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]
