"""Queue the changes the rollups must absorb, in the transaction that makes them (apps.insights.rollups), and
start a new generation of cached figures when what they show changes outside the rollups (apps.insights.cache)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from apps.accounts.models import Membership
from apps.accounts.signals import invitation_accepted
from apps.breaches.models import Breach, Exposure
from apps.breaches.signals import exposures_created
from apps.insights import cache, rollups
from apps.reports.models import Brand, CallerNumber, ContactReport
from apps.reports.signals import ReportChange, contributor_replaced, counted_facts, reports_changed


@receiver(reports_changed)
def queue_report_changes(sender, changes, **kwargs):
    rollups.queue_report_changes(changes)


@receiver(post_delete, sender=ContactReport)
def queue_deleted_report(sender, instance, **kwargs):
    facts = counted_facts(instance)
    if facts is not None:
        rollups.queue_report_changes(
            [ReportChange(contributor=instance.contributor, report_id=instance.pk, before=facts)]
        )


@receiver(contributor_replaced)
def keep_scopes_of_erased_person(sender, old, new, **kwargs):
    rollups.contributor_replaced(old=old, new=new)


@receiver(post_save, sender=Exposure)
@receiver(post_delete, sender=Exposure)
@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def queue_scope_change(sender, instance, **kwargs):
    rollups.queue_scope_changes([instance.person_id])


@receiver(exposures_created)
def queue_scope_changes_of_matched(sender, person_ids, **kwargs):
    rollups.queue_scope_changes(person_ids)


@receiver(invitation_accepted)
def queue_scope_change_of_invited(sender, person, **kwargs):
    rollups.queue_scope_changes([person.pk])  # the invitation's exposures are bulk-created, without signals


@receiver(post_save, sender=Breach)
@receiver(post_delete, sender=Breach)
def breach_facts_changed(sender, **kwargs):
    """Dates mark the time axes, sensitivity decides who sees a breach in the dashboards' filters."""
    cache.figures_changed()


@receiver(post_save, sender=Brand)
def brand_renamed(sender, **kwargs):
    """The figures label brands by their curated names (a re-match of reports comes through the rollups)."""
    cache.figures_changed()


@receiver(post_save, sender=CallerNumber)
def number_allowlist_changed(sender, update_fields=None, **kwargs):
    """An allowlisted number leaves the top numbers at once (the counters' refresh writes with SQL, no signal:
    a number becoming public arrives with the report that made it so, through the rollups update)."""
    if update_fields and "is_allowlisted" in update_fields:
        cache.figures_changed()
