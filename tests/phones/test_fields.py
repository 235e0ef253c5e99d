import pytest
from django.core.exceptions import FieldError
from django.db import models
from django.test.utils import isolate_apps

from apps.phones.crypto import decrypt
from apps.phones.fields import EncryptedTextField, encrypted_fields

from .conftest import stored_blob


def test_encrypted_text_field_stores_ciphertext_and_reads_text(secret_model):
    secret = secret_model.objects.create(phone="+393331234567", note="verified by SMS")
    blob = stored_blob(secret_model, secret.pk, "phone")
    assert b"3331234567" not in blob
    assert decrypt(blob, context="phone") == "+393331234567"
    assert decrypt(stored_blob(secret_model, secret.pk, "note")) == "verified by SMS"

    again = secret_model.objects.get(pk=secret.pk)
    assert (again.phone, again.note) == ("+393331234567", "verified by SMS")
    assert list(secret_model.objects.values_list("phone", flat=True)) == ["+393331234567"]


def test_encrypted_text_field_keeps_null_as_null_and_defaults_to_empty_text(secret_model):
    secret = secret_model.objects.create()
    again = secret_model.objects.get(pk=secret.pk)
    assert (again.phone, again.note) == (None, "")
    assert secret_model.objects.filter(phone__isnull=True).count() == 1


def test_encrypted_text_field_refuses_lookups_that_could_never_match(secret_model):
    with pytest.raises(FieldError):
        secret_model.objects.filter(phone="+393331234567")
    with pytest.raises(FieldError):
        secret_model.objects.filter(phone__in=["+393331234567"])


def test_encrypted_text_field_refuses_bytes_which_would_be_stored_unencrypted(secret_model):
    with pytest.raises(TypeError):
        secret_model.objects.create(note=b"raw")


def test_encrypted_text_field_deconstructs_with_its_context():
    name, path, args, kwargs = EncryptedTextField(context="phone", null=True).deconstruct()
    assert path == "apps.phones.fields.EncryptedTextField"
    assert kwargs == {"context": "phone", "null": True}
    assert EncryptedTextField().deconstruct()[3] == {}
    assert EncryptedTextField(editable=True).deconstruct()[3] == {"editable": True}


def test_encrypted_text_field_is_not_editable_by_default_and_edits_as_text():
    assert not EncryptedTextField().editable
    from django import forms

    assert isinstance(EncryptedTextField(editable=True).formfield(), forms.CharField)


def test_encrypted_text_field_serialises_as_text(secret_model):
    secret = secret_model(phone="+393331234567")
    field = secret_model._meta.get_field("phone")
    assert field.value_to_string(secret) == "+393331234567"
    assert field.to_python("+393331234567") == "+393331234567"


@isolate_apps("apps.phones")
def test_encrypted_text_field_checks_refuse_unique_and_bytes_defaults():
    class Bad(models.Model):  # noqa: DJ008  (never saved)
        unique = EncryptedTextField(unique=True)
        raw_default = EncryptedTextField(default=b"x")
        text_default = EncryptedTextField(default="")

        class Meta:
            app_label = "phones"

    ids = {field.name: [error.id for error in field.check()] for field in Bad._meta.local_fields}
    assert ids == {"id": [], "unique": ["phones.E001"], "raw_default": ["phones.E002"], "text_default": []}


def test_encrypted_fields_finds_every_encrypted_field_by_model(secret_model):
    found = encrypted_fields(secret_model.registry)
    assert {model: [field.name for field in fields] for model, fields in found.items()} == {
        secret_model: ["phone", "note"]
    }
