"""Writes of reports and of the caller numbers they are about. Every entry point calls these functions."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.services.reporting import reporting_since_move_back
from apps.core.inserts import insert_one
from apps.phones.enrich import enrich
from apps.phones.normalise import InvalidPhoneNumber, normalise_phone
from apps.reports.brands import brand_fields, brand_slugs_by_key
from apps.reports.counters import caller_number_refresh
from apps.reports.limits import Usage, reporter_lock, reporter_usage
from apps.reports.models import CallerNumber, ContactReport
from apps.reports.reporter_state import reporter_state
from apps.reports.signals import counted_facts, send_changed, send_created
from apps.reports.validation import CleanReport, ReporterFacts, report_clean

__all__ = ["caller_number_refresh", "report_submit", "reports_submit_many"]  # the refresh lives in counters.py


def report_submit(
    *,
    reporter,
    caller_number: str,
    channel: str,
    occurred_at: datetime,
    region_hint: str = "IT",
    script: str = "",
    impersonated_brand: str = "",
    caller_knew: Iterable[str] = (),
    outcome: str = "",
    loss_eur: Decimal | str | int | None = None,
    notes: str = "",
    contacted_phone=None,
    silent_seconds: int | None = None,
    background_noise: bool | None = None,
    via: str = ContactReport.Via.FORM,
) -> ContactReport:
    """Validate, check the reporter's daily limits, store the report and refresh its number's counters.

    Raises ValidationError ({field: [messages]}) for bad input and limits.ReportRateLimited past a limit.
    The report is committed first; the counters are recomputed once it is (DESIGN §2.4).
    """
    try:
        e164 = normalise_phone(caller_number, region=region_hint, require_valid=False)
    except (InvalidPhoneNumber, TypeError, AttributeError):
        e164 = None  # report_clean() says what is wrong with it
    # Counted and inserted under the reporter's lock, in one transaction: concurrent requests of one account
    # cannot all read the same count and all pass a limit. The report commits before anything derived from it
    # (DESIGN §2.4), together with the rollups' queue entry.
    with transaction.atomic():
        reporter_lock(reporter)
        state = reporter_state(reporter, e164=e164)
        clean = report_clean(
            reporter=reporter,
            reporter_facts=state.facts,
            caller_number=caller_number,
            channel=channel,
            occurred_at=occurred_at,
            region_hint=region_hint,
            script=script,
            impersonated_brand=impersonated_brand,
            caller_knew=caller_knew,
            outcome=outcome,
            loss_eur=loss_eur,
            notes=notes,
            contacted_phone=contacted_phone,
            silent_seconds=silent_seconds,
            background_noise=background_noise,
        )
        state.usage.check(clean.e164, reporter=reporter)
        # A known number is not read again: its row comes back with the refreshed counters.
        caller_id = state.caller_id or caller_number_get_or_create(clean.e164).pk
        report = report_create(reporter=reporter, clean=clean, via=via, caller_id=caller_id)
        send_created([report])
    # Outside any transaction this runs at once, so the caller gets the report with its number's new figures.
    transaction.on_commit(partial(_refresh_caller_of, report))
    return report


def _refresh_caller_of(report: ContactReport) -> None:
    refreshed = caller_number_refresh(report.caller_id)
    if refreshed is not None:
        report.caller = CallerNumber(**refreshed)


def reports_submit_many(
    *, reporter, rows: list[dict], via: str = ContactReport.Via.BULK, call_log_since: date | None = None
) -> list[ContactReport]:
    """Store several reports in one transaction, all or none: a bulk paste or a call log after its preview.

    Each row holds report_submit()'s keyword arguments. `call_log_since` is the first day of an uploaded call
    log: the reporter's observation window moves back to it (accounts.services.reporting). Raises
    ValidationError({"rows": [...]}) naming the first bad row, or ReportRateLimited when the rows together
    would pass a daily limit.
    """
    facts = ReporterFacts.of(reporter)
    cleaned = []
    for index, row in enumerate(rows, start=1):
        try:
            cleaned.append(report_clean(reporter=reporter, reporter_facts=facts, **row))
        except ValidationError as error:
            problems = "; ".join(str(m) for messages in error.message_dict.values() for m in messages)
            raise ValidationError({"rows": _("Row %(n)d: %(problems)s") % {"n": index, "problems": problems}}) from None
    slugs_by_key = brand_slugs_by_key()
    with transaction.atomic():
        reporter_lock(reporter)  # counted and inserted together, as in report_submit()
        usage = reporter_usage(reporter)
        for clean in cleaned:
            usage.check(clean.e164, reporter=reporter)
            usage.add(clean.e164)
        reports = [
            report_create(reporter=reporter, clean=clean, via=via, slugs_by_key=slugs_by_key) for clean in cleaned
        ]
        send_created(reports)
        if call_log_since is not None and reports:
            reporting_since_move_back(person=reporter, day=call_log_since)
        caller_numbers_refresh_on_commit(report.caller_id for report in reports)
    return reports


# What a correction may change: everything the person typed (CleanReport's fields but the number, which is the
# caller), and the weight their account has now.
CORRECTABLE_FIELDS = (
    "caller_id", "channel", "occurred_at", "contacted_phone", "script", "impersonated_brand", "caller_knew",
    "outcome", "loss_eur", "notes", "silent_seconds", "background_noise", "low_weight", "brand_key",
    "curated_brand",
)  # fmt: skip
DERIVED_FIELDS = ("caller_id", "brand_key", "curated_brand")  # not typed as such: found from what was typed


def report_correct(*, report: ContactReport, reporter, region_hint: str = "IT", **fields) -> ContactReport:
    """The reporter corrects their own report (a mistyped number, the wrong channel or day): the rules of a new
    report, with report_submit()'s keyword arguments, but not the daily total, since it is the same contact;
    a changed number is held to the per-number limit. The statistics and both numbers' counters follow.

    Raises ValidationError ({field: [messages]}), ReportRateLimited, or ContactReport.DoesNotExist when the
    report is not this reporter's or a case officer hid it."""
    try:
        e164 = normalise_phone(fields.get("caller_number", ""), region=region_hint, require_valid=False)
    except (InvalidPhoneNumber, TypeError, AttributeError):
        e164 = None
    with transaction.atomic():
        reporter_lock(reporter)  # the per-number count and the change together, as in report_submit()
        state = reporter_state(reporter, e164=e164)
        clean = report_clean(reporter=reporter, reporter_facts=state.facts, region_hint=region_hint, **fields)
        report = ContactReport.objects.select_for_update().get(pk=report.pk, reporter=reporter, hidden=False)
        old_caller_id = report.caller_id
        if state.caller_id != old_caller_id:  # another number (state.caller_id: the typed number's row, if any)
            Usage(total=0, per_number=state.usage.per_number).check(clean.e164, reporter=reporter)
        before = counted_facts(report)
        values = {name: getattr(clean, name) for name in CORRECTABLE_FIELDS if name not in DERIVED_FIELDS}
        values["caller_id"] = state.caller_id or caller_number_get_or_create(clean.e164).pk
        values.update(brand_fields(clean.impersonated_brand))
        for name, value in values.items():
            setattr(report, name, value)
        report.save(update_fields=list(CORRECTABLE_FIELDS))
        send_changed(report, before)
        caller_numbers_refresh_on_commit([old_caller_id, report.caller_id])
    return report


def report_withdraw(*, report: ContactReport, reporter) -> None:
    """The reporter deletes their own report (made by mistake): it leaves every figure and its number's
    counters. Raises ContactReport.DoesNotExist when the report is not theirs."""
    with transaction.atomic():
        report = ContactReport.objects.select_for_update().get(pk=report.pk, reporter=reporter)
        caller_id = report.caller_id
        report.delete()  # apps.insights queues the change on post_delete, in this transaction
        caller_numbers_refresh_on_commit([caller_id])


def report_create(
    *, reporter, clean: CleanReport, via: str, caller_id: int | None = None, slugs_by_key: dict | None = None
) -> ContactReport:
    """Store a report that passed report_clean() (and the limits), with the curated brand its typed brand maps
    to (brands.brand_fields(): `slugs_by_key` saves a query per report in bulk); the caller refreshes the
    counters."""
    report = ContactReport(
        reporter=reporter,
        contributor=reporter.pk,
        caller_id=caller_id or caller_number_get_or_create(clean.e164).pk,
        channel=clean.channel,
        occurred_at=clean.occurred_at,
        contacted_phone=clean.contacted_phone,
        script=clean.script,
        impersonated_brand=clean.impersonated_brand,
        caller_knew=clean.caller_knew,
        outcome=clean.outcome,
        loss_eur=clean.loss_eur,
        notes=clean.notes,
        silent_seconds=clean.silent_seconds,
        background_noise=clean.background_noise,
        low_weight=clean.low_weight,
        via=via,
        **brand_fields(clean.impersonated_brand, slugs_by_key=slugs_by_key),
    )
    return insert_one(report)  # as report.save(), with the INSERT written once per process: it runs per report


def caller_number_get_or_create(e164: str) -> CallerNumber:
    """The CallerNumber row for `e164`, created with its enrichment the first time the number is reported.

    enrich() is memoised, so a number seen before costs a cache lookup and one indexed read.
    """
    number = CallerNumber.objects.filter(e164=e164).first()
    if number is not None:
        return number
    facts = enrich(e164)
    number, _created = CallerNumber.objects.get_or_create(  # get_or_create: two first reports may race
        e164=e164,
        defaults={
            "country": facts.country,
            "country_name": facts.country_name,
            "region": facts.region[:120],
            "carrier": facts.carrier[:120],
            "line_type": facts.line_type,
            "valid": facts.valid,
            "possible": facts.possible,
        },
    )
    return number


def caller_numbers_refresh_on_commit(number_ids: Iterable[int]) -> None:
    """Refresh each distinct number once the current transaction commits (bulk imports, erasure, demo)."""
    for number_id in sorted(set(number_ids)):
        transaction.on_commit(partial(caller_number_refresh, number_id))


def caller_numbers_rebuild() -> int:
    """Recompute every number's counters from scratch; returns how many numbers were refreshed."""
    count = 0
    for number_id in CallerNumber.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=2000):
        caller_number_refresh(number_id)
        count += 1
    return count


def reporter_reweigh(*, person) -> int:
    """Give full weight to a person's earlier reports once they verify a phone or are proven to be in a breach
    by a dataset match or an invitation (reports weigh half until then). Refreshes the counters of the numbers
    concerned; returns how many reports changed."""
    if ReporterFacts.of(person).low_weight:
        return 0
    with transaction.atomic():
        reports = ContactReport.objects.filter(reporter=person, low_weight=True)
        number_ids = list(reports.values_list("caller_id", flat=True).distinct())
        changed = reports.update(low_weight=False)
        caller_numbers_refresh_on_commit(number_ids)
    return changed
