import pytest
from django.core.management import call_command
from django.db import connection

from apps.phones import rotation
from apps.phones.crypto import DecryptionError, needs_rotation
from apps.phones.rotation import rotate_model

from .conftest import stored_blob


@pytest.fixture
def rotated_keys(settings, new_key):
    """Prepend a new key, as an operator rotating keys does; return (new, old)."""
    old = settings.IDENTIFIER_ENCRYPTION_KEYS[0]
    new = new_key()

    def rotate():
        settings.IDENTIFIER_ENCRYPTION_KEYS = [new, old]
        return new, old

    return rotate


def test_rotate_model_reencrypts_old_values_in_batches_and_keeps_them_readable(secret_model, settings, rotated_keys):
    secrets = [secret_model.objects.create(phone=f"+39333123456{i}", note=f"note {i}") for i in range(5)]
    secret_model.objects.create(phone=None, note="no phone")
    new, _old = rotated_keys()
    fresh = secret_model.objects.create(phone="+2348031234567", note="already on the new key")
    fresh_blob = stored_blob(secret_model, fresh.pk, "phone")

    result = rotate_model(secret_model, batch_size=2)

    assert (result.model, result.scanned, result.rotated) == ("phones.Secret", 7, 6)
    assert stored_blob(secret_model, fresh.pk, "phone") == fresh_blob
    for secret in secrets:
        assert not needs_rotation(stored_blob(secret_model, secret.pk, "phone"))
        assert not needs_rotation(stored_blob(secret_model, secret.pk, "note"))
    settings.IDENTIFIER_ENCRYPTION_KEYS = [new]  # the old key can now be dropped
    assert list(secret_model.objects.order_by("pk").values_list("phone", "note")) == [
        *[(f"+39333123456{i}", f"note {i}") for i in range(5)],
        (None, "no phone"),
        ("+2348031234567", "already on the new key"),
    ]


def test_rotate_model_is_idempotent(secret_model, rotated_keys):
    secret_model.objects.create(phone="+393331234567", note="n")
    rotated_keys()
    assert rotate_model(secret_model).rotated == 1
    assert rotate_model(secret_model).rotated == 0


def test_rotate_model_dry_run_counts_without_writing(secret_model, rotated_keys):
    secret = secret_model.objects.create(phone="+393331234567", note="n")
    before = stored_blob(secret_model, secret.pk, "phone")
    rotated_keys()
    assert rotate_model(secret_model, ["phone"], dry_run=True).rotated == 1
    assert stored_blob(secret_model, secret.pk, "phone") == before


def test_rotate_model_stops_naming_the_row_it_cannot_decrypt(secret_model, settings, new_key):
    secret = secret_model.objects.create(phone="+393331234567", note="n")
    settings.IDENTIFIER_ENCRYPTION_KEYS = [new_key()]  # the old key was dropped too early
    with pytest.raises(DecryptionError, match=f"pk={secret.pk}"):
        rotate_model(secret_model)


def test_rotate_model_refuses_fields_that_are_not_encrypted(secret_model):
    with pytest.raises(TypeError):
        rotate_model(secret_model, ["id"])


def test_rotate_identifier_keys_command_reports_counts_per_model(secret_model, rotated_keys, monkeypatch, capsys):
    secret_model.objects.create(phone="+393331234567", note="n")
    secret_model.objects.create(phone="+393331234568", note="n")
    rotated_keys()
    monkeypatch.setattr(rotation, "encrypted_fields", lambda: {secret_model: list(secret_model._meta.local_fields[1:])})

    call_command("rotate_identifier_keys", batch_size=1)
    call_command("rotate_identifier_keys")

    out = capsys.readouterr().out
    assert "phones.Secret: 2 of 2 rows re-encrypted." in out
    assert "phones.Secret: 0 of 2 rows re-encrypted." in out


@pytest.mark.django_db
def test_rotate_identifier_keys_command_runs_cleanly_on_the_real_models_with_no_rows(capsys):
    call_command("rotate_identifier_keys")
    call_command("rotate_identifier_keys", dry_run=True)
    out = capsys.readouterr().out
    assert "Current key id:" in out
    assert "0 rows re-encrypted" in out and "0 rows would be re-encrypted" in out
    assert connection.is_usable()
