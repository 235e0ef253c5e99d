"""Writes of the breach registry: registering breaches and importing their leaked datasets.

Every entry point (the commands, the upload task, the admin) calls these functions.
"""

import logging
import os
import secrets
from collections.abc import Callable
from datetime import date
from pathlib import Path

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from apps.breaches.importing import pipeline
from apps.breaches.importing.errors import ImportRejected
from apps.breaches.importing.reader import CsvSource
from apps.breaches.models import Breach, DatasetImport, Organisation

logger = logging.getLogger(__name__)

POOL_MIN_BYTES = 4 << 20  # below ~60,000 rows starting worker processes costs more than it saves
ROWS_PER_CHUNK = 20_000  # per task sent to a worker: large enough to amortise the hand-over, small in memory
_COUNTERS = ("rows_read", "phones_stored", "emails_stored", "duplicates", "skipped", "invalid_values", "problem_rows")
UNEXPECTED_FAILURE = _("The import failed unexpectedly and nothing was stored. It can be run again.")

__all__ = [
    "ImportRejected",
    "breach_register",
    "dataset_import_submit",
    "import_exposures",
    "organisation_get_or_create",
]


def import_exposures(
    *,
    breach: Breach,
    path,
    phone_columns: list[str] | None = None,
    email_columns: list[str] | None = None,
    region: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    progress: Callable[[int], None] | None = None,
    delete_file: bool = False,
    dataset_import: DatasetImport | None = None,
    requested_by=None,
    original_name: str | None = None,
    workers: int | None = None,
) -> DatasetImport:
    """Import a leaked CSV into `breach`: only HMAC digests of its phone numbers and e-mail addresses are
    stored, all-or-nothing and idempotently. Returns the DatasetImport holding the summary.

    `phone_columns` / `email_columns` (header names or 1-based numbers) replace detection for their role;
    `region` reads numbers without a prefix (default settings.PHONE_DEFAULT_REGION). `progress(percent)` is
    called as the file is read (DatasetImport.progress is kept up to date as well). With `delete_file` the
    file is removed when the import ends, succeeded or failed. A file-level refusal raises ImportRejected
    after marking the DatasetImport failed; any other error is re-raised likewise, nothing stored.
    """
    region = (region or settings.PHONE_DEFAULT_REGION).upper()
    requested = {
        "phone_columns": phone_columns,
        "email_columns": email_columns,
        "region": region,
        "encoding": encoding,
        "delimiter": delimiter,
    }
    dataset_import = _dataset_import_start(
        dataset_import,
        breach=breach,
        requested_by=requested_by,
        original_name=original_name or os.path.basename(os.fspath(path)),
        options=requested,
    )
    try:
        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise ImportRejected(
                _("Unknown region %(region)s: use an ISO country code such as IT.") % {"region": region}
            )
        source = CsvSource(path, max_bytes=_max_bytes(), encoding=encoding, delimiter=delimiter)
        plan, chunks = source.chunks(
            phone_columns=phone_columns, email_columns=email_columns, rows_per_chunk=ROWS_PER_CHUNK
        )
        dataset_import.options = {
            "phone_columns": plan.phone_names,
            "email_columns": plan.email_names,
            "region": region,
            **source.options,
        }
        dataset_import.save(update_fields=["options"])
        if workers is None:
            workers = settings.BREACH_IMPORT_WORKERS if source.size >= POOL_MIN_BYTES else 1

        def report(percent: int) -> None:
            DatasetImport.objects.filter(pk=dataset_import.pk).update(progress=percent)
            if progress:
                progress(percent)

        def record(totals: pipeline.Totals, inserted: dict) -> None:
            if totals.rows_read == 0:
                raise ImportRejected(_("The file has a header row but no data rows."))
            _dataset_import_succeed(dataset_import, totals, inserted)

        pipeline.run(
            chunks=chunks,
            phone_count=len(plan.phones),
            breach_id=breach.pk,
            pepper=settings.IDENTIFIER_PEPPER.encode(),
            region=region,
            workers=workers,
            total_bytes=source.size,
            progress=report,
            on_inserted=record,
        )
        # The people already registered learn whether the new dataset holds them (exposure_tasks).
        from apps.breaches.exposure_tasks import match_breach

        transaction.on_commit(lambda: match_breach.delay(breach.pk))
    except ImportRejected as rejected:
        _dataset_import_fail(dataset_import, rejected.message)
        raise
    except BaseException:
        logger.exception("Dataset import %s failed", dataset_import.pk)
        _dataset_import_fail(dataset_import, UNEXPECTED_FAILURE)
        raise
    finally:
        if delete_file:
            _delete(path)
    return dataset_import


def dataset_import_submit(
    *, breach: Breach, upload, requested_by=None, original_name: str | None = None, **options
) -> DatasetImport:
    """Keep an uploaded file privately (never under MEDIA_ROOT) and queue its import after the current
    transaction commits. `options` are import_exposures()'s column, region, encoding and delimiter options."""
    from apps.breaches.tasks import import_dataset  # tasks import this module

    if upload.size > _max_bytes():
        raise ImportRejected(_("The file is too big to import; split it and import the parts."))
    directory = Path(settings.BREACH_IMPORT_DIR)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = directory / f"{secrets.token_hex(16)}.csv"
    with open(path, "xb") as destination:
        for block in upload.chunks():
            destination.write(block)
    dataset_import = DatasetImport.objects.create(
        breach=breach,
        requested_by=requested_by,
        original_name=(original_name or getattr(upload, "name", "") or "")[:255],
        options={key: value for key, value in options.items() if value is not None},
    )
    transaction.on_commit(lambda: import_dataset.delay(dataset_import.pk, str(path)))
    return dataset_import


def _dataset_import_start(dataset_import, *, breach, requested_by, original_name, options) -> DatasetImport:
    fresh = {
        "status": DatasetImport.Status.RUNNING,
        "started_at": timezone.now(),
        "finished_at": None,
        "progress": 0,
        "error": "",
        **dict.fromkeys(_COUNTERS, 0),
        "skipped_rows": [],
    }
    if dataset_import is None:
        return DatasetImport.objects.create(
            breach=breach, requested_by=requested_by, original_name=original_name[:255], options=options, **fresh
        )
    for name, value in fresh.items():  # a retry starts from zero
        setattr(dataset_import, name, value)
    dataset_import.save()
    return dataset_import


def _dataset_import_succeed(dataset_import: DatasetImport, totals: pipeline.Totals, inserted: dict) -> None:
    dataset_import.status = DatasetImport.Status.SUCCEEDED
    dataset_import.rows_read = totals.rows_read
    dataset_import.phones_stored = inserted["phone"]
    dataset_import.emails_stored = inserted["email"]
    dataset_import.duplicates = totals.phones_valid + totals.emails_valid - inserted["phone"] - inserted["email"]
    dataset_import.skipped = totals.skipped
    dataset_import.invalid_values = totals.invalid_values
    dataset_import.problem_rows = totals.problem_rows
    dataset_import.skipped_rows = totals.problems
    dataset_import.progress = 100
    dataset_import.finished_at = timezone.now()
    dataset_import.save()


def _dataset_import_fail(dataset_import: DatasetImport, message) -> None:
    try:
        DatasetImport.objects.filter(pk=dataset_import.pk).update(
            status=DatasetImport.Status.FAILED, error=str(message), finished_at=timezone.now()
        )
    except Exception:  # the database itself may be what failed; the original error matters more
        logger.exception("Could not mark dataset import %s failed", dataset_import.pk)
    dataset_import.status = DatasetImport.Status.FAILED
    dataset_import.error = str(message)


def _delete(path) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
    except OSError:
        logger.exception("Could not delete the imported file %s", path)


def _max_bytes() -> int:
    return settings.BREACH_IMPORT_MAX_BYTES


def organisation_get_or_create(*, name_or_slug: str) -> tuple[Organisation, bool]:
    """The organisation with this slug or (case-insensitively) this name; created from the name if neither."""
    name_or_slug = name_or_slug.strip()
    found = (
        Organisation.objects.filter(slug=name_or_slug).first()
        or Organisation.objects.filter(name__iexact=name_or_slug).first()
    )
    if found:
        return found, False
    base = slugify(name_or_slug)[:70] or "organisation"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return Organisation.objects.create(name=name_or_slug, slug=slug), True


@transaction.atomic
def breach_register(
    *,
    slug: str,
    organisation: Organisation,
    occurred_on: date,
    discovered_on: date | None = None,
    disclosed_on: date | None = None,
    data_categories: list[str] = (),
    approx_people: int | None = None,
    sources: list[str] = (),
    title_it: str | None = None,
    title_en: str | None = None,
    description_it: str | None = None,
    description_en: str | None = None,
    is_verified: bool = False,
    is_sensitive: bool = False,
    update: bool = False,
) -> tuple[Breach, bool]:
    """Create the breach `slug` (or, with `update`, change an existing one). Raises ValidationError.

    The title and description come in Italian and English; a text left None keeps the breach's current one
    (so a script can add the English title of a breach alone), and at least one title must remain.
    """
    breach = Breach.objects.filter(slug=slug).first()
    if breach and not update:
        raise ValidationError({"slug": _("A breach with this short name already exists.")})
    created = breach is None
    breach = breach or Breach(slug=slug)
    texts = {"title_it": title_it, "title_en": title_en, "description_it": description_it}
    texts["description_en"] = description_en
    for field, value in texts.items():
        if value is not None:
            setattr(breach, field, value.strip())
    breach.organisation = organisation
    breach.occurred_on = occurred_on
    breach.discovered_on = discovered_on
    breach.disclosed_on = disclosed_on
    breach.data_categories = list(dict.fromkeys(data_categories))
    breach.approx_people = approx_people
    breach.sources = list(sources)
    breach.is_verified = is_verified
    breach.is_sensitive = is_sensitive
    breach.full_clean()
    breach.save()
    return breach, created
