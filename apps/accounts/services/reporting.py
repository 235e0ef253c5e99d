"""A person's reporting-since date: the first day of their observation window in the linkage statistics.

Rates are contacts per person-day (apps/insights/linkage/gather.py), so a window must start only where the
person really reported everything: by default the day they signed up; earlier when they upload a call log
(it holds every incoming contact from its first day) or when they say so on /me/, but never before their
first report (nothing shows they were watching earlier) and never in the future.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.accounts.models import User


def reporting_since_earliest(person) -> date:
    """The earliest day the person may say they report everything since: their first report's day, or the
    window's current start when that is earlier (a call log whose reports were later deleted)."""
    from apps.reports.models import ContactReport  # reports depends on accounts, not the other way round

    first = ContactReport.objects.of_reporter(person).aggregate(first=Min("occurred_at"))["first"]
    candidates = [person.observed_since]
    if first is not None:
        candidates.append(timezone.localdate(first))
    return min(candidates)


def reporting_since_set(*, person, day: date) -> User:
    """Set the first day from which the person reports every contact; ValidationError on reporting_since when
    the day is in the future or before their first report."""
    if not isinstance(day, date):
        raise ValidationError({"reporting_since": _("Enter a date.")})
    today = timezone.localdate()
    if day > today:
        raise ValidationError({"reporting_since": _("The date cannot be in the future.")})
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        earliest = reporting_since_earliest(person)
        if day < earliest:
            if person.contact_reports.exists():
                message = _("The date cannot be earlier than %(earliest)s, the day of your first report.")
            else:
                message = _("Send your first report before moving this date back (at the earliest: %(earliest)s).")
            raise ValidationError({"reporting_since": message % {"earliest": date_format(earliest, "DATE_FORMAT")}})
        person.reporting_since = day
        person.save(update_fields=["reporting_since"])
    return person


def reporting_since_move_back(*, person, day: date) -> None:
    """An uploaded call log covers every incoming contact from its first day: the window starts there if that
    is earlier than it does now (never later: a log of the last week says nothing about the weeks before)."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=person.pk)
        if day < locked.observed_since:
            locked.reporting_since = day
            locked.save(update_fields=["reporting_since"])
            person.reporting_since = day
