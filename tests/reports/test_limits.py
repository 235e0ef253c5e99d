from datetime import timedelta

import pytest
from django.utils import timezone, translation

from apps.reports import limits
from apps.reports.limits import ReportRateLimited
from apps.reports.models import ContactReport

pytestmark = pytest.mark.django_db


def test_an_account_can_report_one_number_ten_times_a_day(reporter, submit):
    for _ in range(limits.MAX_REPORTS_PER_NUMBER_PER_DAY):
        submit(reporter)

    with pytest.raises(ReportRateLimited) as excinfo, translation.override("en"):
        submit(reporter)

    assert "already reported this number 10 times" in str(excinfo.value.message)
    assert 0 < excinfo.value.retry_after <= 86400
    assert submit(reporter, caller_number="+92 300 0000001").pk  # other numbers are still welcome


def test_an_account_has_a_daily_ceiling_of_reports(reporter, submit, monkeypatch):
    monkeypatch.setattr(limits, "MAX_REPORTS_PER_DAY", 5)
    for n in range(5):
        submit(reporter, caller_number=f"+92 300 000000{n}")

    with pytest.raises(ReportRateLimited) as excinfo, translation.override("en"):
        submit(reporter, caller_number="+92 300 0000009")

    assert "5 reports in the last 24 hours" in str(excinfo.value.message)
    assert ContactReport.objects.count() == 5


def test_the_limits_count_the_last_24_hours_only(reporter, submit):
    for _ in range(limits.MAX_REPORTS_PER_NUMBER_PER_DAY):
        submit(reporter)
    ContactReport.objects.update(created_at=timezone.now() - timedelta(hours=25))

    assert submit(reporter).pk


def test_limits_are_per_account(reporter, make_reporters, submit):
    for _ in range(limits.MAX_REPORTS_PER_NUMBER_PER_DAY):
        submit(reporter)

    assert submit(make_reporters(1)[0]).pk
