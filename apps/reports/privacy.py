"""A person's reports in their data export, and what erasure does to them (apps.accounts.privacy)."""

import secrets

from apps.accounts.privacy import erasure_step, export_section
from apps.reports.models import ContactReport, NumberDispute
from apps.reports.services import caller_numbers_refresh_on_commit
from apps.reports.signals import COUNTED_FIELDS, ReportChange, contributor_replaced, counted_facts, reports_changed


@export_section("contact_reports")
def reports(person) -> list[dict]:
    """Every report the person made, with everything they typed."""
    rows = ContactReport.objects.of_reporter(person).select_related("caller", "contacted_phone").order_by("created_at")
    return [
        {
            "caller_number": r.caller.e164,
            "channel": r.channel,
            "occurred_at": r.occurred_at.isoformat(),
            "contacted_phone": r.contacted_phone_id and r.contacted_phone.number,
            "script": r.script,
            "impersonated_brand": r.impersonated_brand,
            "caller_knew": r.caller_knew,
            "outcome": r.outcome,
            "loss_eur": str(r.loss_eur) if r.loss_eur is not None else None,
            "notes": r.notes,
            "silent_seconds": r.silent_seconds,
            "background_noise": r.background_noise,
            "hidden_by_moderation": r.hidden,
            "reported_at": r.created_at.isoformat(),
        }
        for r in rows
    ]


@export_section("number_disputes")
def disputes(person) -> list[dict]:
    return [
        {"number": d.caller.e164, "who": d.who, "contact": d.contact, "reason": d.reason, "status": d.status}
        for d in NumberDispute.objects.filter(raised_by=person).select_related("caller").order_by("created_at")
    ]


@erasure_step(order=40)
def anonymise_reports(person) -> None:
    """Reports stay as anonymous contributions: no reporter, no notes, no contacted number. A random key
    replaces the reporter's id as the unit of evidence, so each number keeps its count of distinct reporters
    without anything leading back to the person. Their disputes go (they hold who they are)."""
    anonymous_contributor = -secrets.randbelow(2**62) - 1
    reports = ContactReport.objects.of_reporter(person)
    counted = [(r.pk, counted_facts(r)) for r in reports.only(*COUNTED_FIELDS)]
    callers = set(reports.values_list("caller_id", flat=True))
    reports.update(reporter=None, contributor=anonymous_contributor, notes="", contacted_phone=None)
    # The statistics keep counting these reports, now under the anonymous contributor.
    contributor_replaced.send(sender=ContactReport, old=person.pk, new=anonymous_contributor)
    changes = [ReportChange(contributor=person.pk, report_id=pk, before=facts) for pk, facts in counted if facts]
    changes += [ReportChange(contributor=anonymous_contributor, report_id=pk, before=None) for pk, f in counted if f]
    if changes:
        reports_changed.send(sender=ReportChange, changes=changes)
    disputes = NumberDispute.objects.filter(raised_by=person)
    callers |= set(disputes.values_list("caller_id", flat=True))
    disputes.delete()
    caller_numbers_refresh_on_commit(callers)
