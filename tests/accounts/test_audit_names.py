"""The audit log names what each event was about in the reader's language; the stored codes stay as they are."""

import pytest
from django.utils import translation

from apps.accounts.audit import audit, target_label
from apps.accounts.models import AuditEvent


@pytest.mark.parametrize(
    ("target", "italian"),
    [
        ("breach inps-servizi-concorso-2022", "violazione inps-servizi-concorso-2022"),
        ("user #12", "utente n. 12"),
        ("caller number #7", "numero chiamante n. 7"),
        ("report 31", "segnalazione n. 31"),
        ("batch #3", "invio di inviti n. 3"),
        ("request #4", "richiesta di iscrizione n. 4"),
        ("dispute 5 about caller number #7", "contestazione n. 5 sul numero chiamante n. 7"),
        ("people page", "la pagina delle persone dell'organizzazione"),
        ("dashboard CSV", "il cruscotto dell'organizzazione (CSV)"),
        ("own data", "i propri dati"),
        ("something new", "something new"),  # an unknown target is shown as stored, never dropped
    ],
)
def test_each_target_reads_in_italian(target, italian):
    with translation.override("it"):
        assert target_label(target) == italian
    with translation.override("en"):
        english = target_label(target)
    assert english and (english != italian or target == italian)


@pytest.mark.django_db
def test_the_audit_page_shows_actions_and_targets_in_italian(client, make_person, with_totp):
    officer = make_person("officer@example.org", is_staff=True)
    with_totp(officer)
    client.force_login(officer)
    audit(actor=officer, action=AuditEvent.Action.BREACH_SAVED, target="breach leak-2025")

    page = client.get("/officers/audit/", HTTP_ACCEPT_LANGUAGE="it").content.decode()

    assert "violazione leak-2025" in page and "registrazione o modifica di una violazione" in page
    assert AuditEvent.objects.get(action="breach_saved").target == "breach leak-2025"
