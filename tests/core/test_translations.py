import polib
import pytest
from django.conf import settings


def test_every_string_has_an_italian_translation():
    catalog = polib.pofile(str(settings.BASE_DIR / "locale/it/LC_MESSAGES/django.po"))

    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]

    assert untranslated == [] and fuzzy == []


@pytest.mark.django_db
def test_the_browser_language_chooses_the_page_language(client):
    italian = client.get("/", HTTP_ACCEPT_LANGUAGE="it-IT,it;q=0.9").content.decode()
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    fallback = client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE").content.decode()

    assert "Ci sono anch'io?" in italian
    assert "Am I affected?" in english
    assert "Ci sono anch'io?" in fallback  # Italian first for everyone else
