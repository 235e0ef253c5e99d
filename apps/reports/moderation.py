"""Case officers' moderation: hiding abusive reports, the allowlist of legitimate numbers, and disputes.

Each officer action is written to the audit log. AuditEvent has no "moderated" action, so these events use
VIEWED with the specific action in `details["moderation"]` and the object in `target`.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.audit import audit
from apps.accounts.models import AuditEvent
from apps.reports.models import CallerNumber, ContactReport, NumberDispute
from apps.reports.services import caller_numbers_refresh_on_commit
from apps.reports.signals import ReportChange, counted_facts, reports_changed, send_changed
from apps.reports.validation import is_storable_text

REASON_MAX_LENGTH = 200
BULK_MAX_REPORTS = 200  # two pages of the moderation table; a larger list is not a selection a person made
MAX_OPEN_DISPUTES_PER_NUMBER = 20  # enough for every genuine claimant; beyond it an officer has a flood to look at


def _reason(value: str, *, field: str = "reason", required: bool = True, max_length: int = REASON_MAX_LENGTH) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("Give a short reason.")})
    if len(value) > max_length:
        raise ValidationError({field: _("At most %(max)d characters.") % {"max": max_length}})
    if not is_storable_text(value):
        raise ValidationError({field: _("This text contains characters that cannot be stored.")})
    return value


def _log(actor, what: str, target: str, **details) -> None:
    audit(actor=actor, action=AuditEvent.Action.MODERATED, target=target, moderation=what, **details)


@transaction.atomic
def report_hide(*, report: ContactReport, actor, reason: str) -> ContactReport:
    """Hide an abusive or mistaken report: it stays stored but no longer counts anywhere."""
    report = ContactReport.objects.select_for_update().get(pk=report.pk)
    before = counted_facts(report)
    report.hidden, report.hidden_reason = True, _reason(reason)
    report.save(update_fields=["hidden", "hidden_reason"])
    send_changed(report, before)
    _log(actor, "report_hidden", f"report {report.pk}", reason=report.hidden_reason)
    caller_numbers_refresh_on_commit([report.caller_id])
    return report


@transaction.atomic
def report_unhide(*, report: ContactReport, actor) -> ContactReport:
    report = ContactReport.objects.select_for_update().get(pk=report.pk)
    before = counted_facts(report)
    report.hidden, report.hidden_reason = False, ""
    report.save(update_fields=["hidden", "hidden_reason"])
    send_changed(report, before)
    _log(actor, "report_unhidden", f"report {report.pk}")
    caller_numbers_refresh_on_commit([report.caller_id])
    return report


@transaction.atomic
def reports_hide_many(*, report_ids, actor, reason: str) -> int:
    """Hide the selected reports that still count, with one reason; returns how many were hidden.

    Each one is logged as if hidden alone, so the audit log answers "who hid report N" the same way."""
    reason = _reason(reason)
    return _set_hidden(report_ids, actor=actor, hidden=True, reason=reason)


@transaction.atomic
def reports_unhide_many(*, report_ids, actor) -> int:
    """Let the selected hidden reports count again; returns how many changed."""
    return _set_hidden(report_ids, actor=actor, hidden=False, reason="")


def _set_hidden(report_ids, *, actor, hidden: bool, reason: str) -> int:
    report_ids = sorted(set(report_ids))
    if not report_ids:
        raise ValidationError({"report": _("Select at least one report.")})
    if len(report_ids) > BULK_MAX_REPORTS:
        raise ValidationError({"report": _("Select at most %(max)d reports at once.") % {"max": BULK_MAX_REPORTS}})
    # Locked in id order, like report_hide() locks one, so two officers' overlapping selections cannot
    # deadlock; reports already in the wanted state are left alone (and not logged twice).
    reports = list(
        ContactReport.objects.select_for_update().filter(pk__in=report_ids).exclude(hidden=hidden).order_by("pk")
    )
    changes = []
    for report in reports:
        before = counted_facts(report)
        report.hidden, report.hidden_reason = hidden, reason
        changes.append(ReportChange(contributor=report.contributor, report_id=report.pk, before=before))
    ContactReport.objects.bulk_update(reports, ["hidden", "hidden_reason"])
    if changes:
        reports_changed.send(sender=ReportChange, changes=changes)
    details = {"moderation": "report_hidden", "reason": reason} if hidden else {"moderation": "report_unhidden"}
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=actor, action=AuditEvent.Action.MODERATED, target=f"report {r.pk}", details={**details, "bulk": True}
        )
        for r in reports
    )
    caller_numbers_refresh_on_commit(report.caller_id for report in reports)
    return len(reports)


@transaction.atomic
def caller_number_allowlist(*, number: CallerNumber, actor, reason: str) -> CallerNumber:
    """Mark a number legitimate (an institution's switchboard, a bank's real line): never public again."""
    number.is_allowlisted, number.allowlist_reason = True, _reason(reason)
    number.allowlisted_at = timezone.now()
    number.is_public = False  # at once, not only after the refresh: the database forbids both together
    number.save(update_fields=["is_allowlisted", "allowlist_reason", "allowlisted_at", "is_public"])
    _log(actor, "number_allowlisted", f"caller number #{number.pk}", reason=number.allowlist_reason)
    caller_numbers_refresh_on_commit([number.pk])
    return number


@transaction.atomic
def caller_number_allowlist_remove(*, number: CallerNumber, actor) -> CallerNumber:
    number.is_allowlisted, number.allowlist_reason, number.allowlisted_at = False, "", None
    number.save(update_fields=["is_allowlisted", "allowlist_reason", "allowlisted_at"])
    _log(actor, "number_allowlist_removed", f"caller number #{number.pk}")
    caller_numbers_refresh_on_commit([number.pk])
    return number


class DisputeRefused(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@transaction.atomic
def dispute_raise(*, number: CallerNumber, who: str, reason: str, contact: str = "", raised_by=None) -> NumberDispute:
    """Record a claim that the number is legitimate; it counts as legitimate evidence until decided."""
    errors = {}
    for field, value, max_length in (("who", who, 200), ("reason", reason, 2000), ("contact", contact, 200)):
        try:
            _reason(value, field=field, required=field != "contact", max_length=max_length)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if number.disputes.filter(status=NumberDispute.Status.OPEN).count() >= MAX_OPEN_DISPUTES_PER_NUMBER:
        raise DisputeRefused(_("This number already has many open disputes; a case officer will look at them."))
    dispute = NumberDispute.objects.create(
        caller=number,
        who=who.strip(),
        reason=reason.strip(),
        contact=(contact or "").strip(),
        raised_by=raised_by if raised_by is not None and raised_by.is_authenticated else None,
    )
    caller_numbers_refresh_on_commit([number.pk])
    return dispute


@transaction.atomic
def dispute_resolve(*, dispute: NumberDispute, actor, uphold: bool, note: str = "") -> NumberDispute:
    """Uphold (the number goes on the allowlist) or reject a dispute."""
    if dispute.status != NumberDispute.Status.OPEN:
        raise ValidationError({"__all__": _("This dispute was already decided.")})
    note = _reason(note, field="note", required=uphold)
    dispute.status = NumberDispute.Status.UPHELD if uphold else NumberDispute.Status.REJECTED
    dispute.resolution_note, dispute.resolved_by, dispute.resolved_at = note, actor, timezone.now()
    dispute.save(update_fields=["status", "resolution_note", "resolved_by", "resolved_at"])
    target = f"dispute {dispute.pk} about caller number #{dispute.caller_id}"
    _log(actor, "dispute_upheld" if uphold else "dispute_rejected", target)
    if uphold:
        caller_number_allowlist(number=dispute.caller, actor=actor, reason=note)
    caller_numbers_refresh_on_commit([dispute.caller_id])
    return dispute
