"""What other apps learn about reports: apps.insights keeps its rollups in step through this signal."""

from dataclasses import dataclass

import django.dispatch

# Sent inside the transaction that changes reports, with changes=[ReportChange, ...], so a receiver can queue
# work in the same transaction: the change and the queued work commit together or not at all.
reports_changed = django.dispatch.Signal()
# Sent when an erasure moves a person's reports to an anonymous contributor (old=…, new=…).
contributor_replaced = django.dispatch.Signal()


@dataclass(frozen=True)
class ReportChange:
    """One report's facts changed for `contributor`; `before` is what counted until now (None: nothing)."""

    contributor: int
    report_id: int
    before: dict | None


COUNTED_FIELDS = ("hidden", "occurred_at", "channel", "script", "curated_brand", "caller_id", "contributor")


def counted_facts(report) -> dict | None:
    """The facts of a report that statistics count, as JSON-ready values; None for a hidden report."""
    if report.hidden:
        return None
    return {
        "occurred_at": report.occurred_at.isoformat(),
        "channel": report.channel,
        "script": report.script,
        "brand": report.curated_brand_id or "",  # the curated brand's slug: typed text is never counted
        "caller_id": report.caller_id,
    }


def send_changed(report, before: dict | None) -> None:
    """Announce that one stored report changed, if what statistics count of it did (`before`: its
    counted_facts() until now)."""
    if before != counted_facts(report):
        reports_changed.send(
            sender=ReportChange,
            changes=[ReportChange(contributor=report.contributor, report_id=report.pk, before=before)],
        )


def send_created(reports) -> None:
    """Announce new reports (none of them counted before)."""
    changes = [ReportChange(contributor=r.contributor, report_id=r.pk, before=None) for r in reports]
    if changes:
        reports_changed.send(sender=ReportChange, changes=changes)
