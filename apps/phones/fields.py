"""A model field that keeps personal identifiers encrypted at rest and plain text in Python."""

from django.apps import apps
from django.core import checks
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.phones import crypto


class EncryptedTextField(models.BinaryField):
    """Text in Python, an AES-GCM blob (apps.phones.crypto) in the database.

    `context` is authenticated with every value ("phone", "email", …), so a blob moved to a column with
    another context fails to decrypt. Ciphertext is randomised, so the database cannot compare values:
    only `isnull` lookups are allowed, and lookups by value go through a digest column (apps.phones.hashing).
    Not editable by default, like BinaryField.
    """

    description = _("Encrypted text")

    def __init__(self, *args, context: str = "", **kwargs):
        self.context = context
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.context:
            kwargs["context"] = self.context
        return name, path, args, kwargs

    def check(self, **kwargs):
        return [*super().check(**kwargs), *self._check_not_unique()]

    def _check_str_default_value(self):
        # BinaryField refuses str defaults; here str is the right type and bytes would be the mistake.
        if self.has_default() and isinstance(self.default, bytes | bytearray | memoryview):
            return [checks.Error("EncryptedTextField's default must be text, not bytes.", obj=self, id="phones.E002")]
        return []

    def _check_not_unique(self):
        if self.unique or self.db_index:
            return [
                checks.Error(
                    "EncryptedTextField cannot be unique or indexed: equal values encrypt differently.",
                    hint="Store a digest from apps.phones.hashing in its own unique column.",
                    obj=self,
                    id="phones.E001",
                )
            ]
        return []

    def get_lookup(self, lookup_name):
        # exact, in, contains, … would compare fresh ciphertext with stored ciphertext and never match.
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)

    def get_default(self):
        # Skip BinaryField's b"" so a non-null field without a default starts as "" like a TextField.
        return models.Field.get_default(self)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return None
        if not isinstance(value, str):
            raise TypeError(f"{self.__class__.__name__} holds text, not {type(value).__name__}.")
        return crypto.encrypt(value, context=self.context)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return crypto.decrypt(value, context=self.context)

    def to_python(self, value):
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, bytes | bytearray | memoryview):
            return crypto.decrypt(value, context=self.context)
        return str(value)

    def value_to_string(self, obj):
        # Serialised (dumpdata, GDPR export) as the owner would read it; to_python reads it back as text.
        return self.value_from_object(obj)

    def formfield(self, **kwargs):
        from django import forms

        return models.Field.formfield(self, **{"form_class": forms.CharField, **kwargs})


def encrypted_fields(app_registry=None) -> dict[type[models.Model], list[EncryptedTextField]]:
    """Every EncryptedTextField on every installed model, by model, for key rotation.

    Only fields stored in the model's own table (so a multi-table child does not repeat its parent's), and
    only managed, concrete models (proxies share their base's table; unmanaged ones are not ours to write).
    """
    found = {}
    for model in (app_registry or apps).get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        fields = [field for field in meta.local_concrete_fields if isinstance(field, EncryptedTextField)]
        if fields:
            found[model] = fields
    return found
