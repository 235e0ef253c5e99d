"""Re-encrypting stored identifiers under the current key, after a new key is prepended to the settings."""

from dataclasses import dataclass

from django.db import models, router, transaction
from django.db.models import ExpressionWrapper, F, Value

from apps.phones import crypto
from apps.phones.fields import EncryptedTextField, encrypted_fields


@dataclass(frozen=True)
class RotationResult:
    model: str  # "app_label.Model"
    scanned: int  # rows read
    rotated: int  # rows re-encrypted (or that would be, in a dry run)


def rotate_all(*, batch_size: int = 500, dry_run: bool = False) -> list[RotationResult]:
    """rotate_model() for every model with an EncryptedTextField."""
    return [
        rotate_model(model, [field.name for field in fields], batch_size=batch_size, dry_run=dry_run)
        for model, fields in encrypted_fields().items()
    ]


def rotate_model(
    model: type[models.Model],
    field_names: list[str] | None = None,
    *,
    batch_size: int = 500,
    dry_run: bool = False,
) -> RotationResult:
    """Re-encrypt every value of `field_names` (default: all EncryptedTextFields) not sealed by the current key.

    Idempotent: rows already on the current key are read and left alone. Each batch is its own transaction
    with its rows locked (SELECT … FOR UPDATE; SQLite's IMMEDIATE transactions lock the whole database), so a
    user saving a new number meanwhile is never overwritten with the old one. Raises crypto.DecryptionError
    naming the row if a value cannot be opened; the batches before it stay rotated, and a re-run resumes.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1.")
    fields = _fields(model, field_names)
    if not fields:
        return RotationResult(model._meta.label, 0, 0)
    database = router.db_for_write(model)
    manager = model._base_manager.db_manager(database)
    # Read the stored blobs, not the field's decrypted text: the blob's header says which key sealed it.
    raw = {
        f"_raw_{field.attname}": ExpressionWrapper(F(field.attname), output_field=models.BinaryField())
        for field in fields
    }

    scanned = rotated = 0
    last_pk = None
    while True:
        with transaction.atomic(using=database):
            queryset = manager.order_by("pk")
            if last_pk is not None:
                queryset = queryset.filter(pk__gt=last_pk)
            if not dry_run:
                queryset = queryset.select_for_update()
            rows = list(queryset.annotate(**raw).values_list("pk", *raw)[:batch_size])
            if not rows:
                break
            last_pk = rows[-1][0]
            scanned += len(rows)
            changed = [_reencrypted(model, fields, pk, blobs) for pk, *blobs in rows if _stale(blobs)]
            if changed and not dry_run:
                manager.bulk_update(changed, [field.name for field in fields], batch_size=batch_size)
            rotated += len(changed)
    return RotationResult(model._meta.label, scanned, rotated)


def _fields(model, field_names) -> list[EncryptedTextField]:
    if field_names is None:
        return [field for field in model._meta.local_concrete_fields if isinstance(field, EncryptedTextField)]
    fields = [model._meta.get_field(name) for name in field_names]
    for field in fields:
        if not isinstance(field, EncryptedTextField):
            raise TypeError(f"{model._meta.label}.{field.name} is not an EncryptedTextField.")
    return fields


def _stale(blobs) -> bool:
    return any(blob is not None and crypto.needs_rotation(blob) for blob in blobs)


def _reencrypted(model, fields, pk, blobs) -> models.Model:
    """An unsaved instance carrying only the pk and the new blobs, as bulk_update needs."""
    instance = model(pk=pk)
    for field, blob in zip(fields, blobs, strict=True):
        try:
            (new_blob,) = crypto.reencrypt_blobs([blob], context=field.context)
        except crypto.DecryptionError as error:
            raise crypto.DecryptionError(f"{model._meta.label} pk={pk}, field {field.name}: {error}") from error
        # A BinaryField Value writes the blob as it is; through the field itself it would be encrypted again.
        setattr(instance, field.attname, Value(new_blob, output_field=models.BinaryField()))
    return instance
