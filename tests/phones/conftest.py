"""Fixtures for apps.phones tests (sms_outbox lives in tests/conftest.py)."""

import base64
import os

import pytest
from django.db import connection, models
from django.test.utils import isolate_apps

from apps.phones.fields import EncryptedTextField


@pytest.fixture
def new_key():
    """Return a fresh base64 encryption key each call."""
    return lambda: base64.b64encode(os.urandom(32)).decode()


@pytest.fixture
def secret_model(transactional_db):
    """A throwaway model with encrypted fields and its table; apps.phones has no model of its own to use."""
    with isolate_apps("apps.phones") as registry:

        class Secret(models.Model):  # noqa: DJ008  (a throwaway test model)
            phone = EncryptedTextField(context="phone", null=True)
            note = EncryptedTextField()

            class Meta:
                app_label = "phones"

        with connection.schema_editor() as editor:
            editor.create_model(Secret)
        Secret.registry = registry
        yield Secret
        with connection.schema_editor() as editor:
            editor.delete_model(Secret)


def stored_blob(model, pk, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s", [pk])  # noqa: S608
        return bytes(cursor.fetchone()[0])
