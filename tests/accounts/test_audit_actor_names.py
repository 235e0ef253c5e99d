"""How the audit log names who acted: a short name and the roles, whatever the person typed as their name.

The demo officer, "Chiara (case officer, demo)", was shown as "Chiara (. o. d. (operatore)": every word after
the first became an initial, brackets and commas included."""

import pytest
from django.utils import translation

from apps.accounts.audit_log import actor_label, short_name
from apps.accounts.models import User


@pytest.mark.parametrize(
    ("display_name", "shown"),
    [
        ("Chiara Orlandi", "Chiara O."),
        ("Chiara O.", "Chiara O."),  # already an initial: no second dot
        ("Chiara (case officer, demo)", "Chiara"),  # an aside is not part of the name
        ("Chiara Orlandi (ufficio legale)", "Chiara O."),
        ("Chiara (turno (notte)) Orlandi", "Chiara O."),  # nested asides
        ("Chiara Orlandi (ufficio", "Chiara O."),  # an aside left open
        ("Maria Luisa Rossi", "Maria L. R."),
        ("  Maria   rossi  ", "Maria R."),
        ("Anna-Maria D'Amico", "Anna-Maria D."),
        ("Élodie Ünal", "Élodie Ü."),
        ("chiara.orlandi", "chiara O."),
        ("M. Rossi", "M R."),
        ("Chiara", "Chiara"),
        ("Chiara .", "Chiara"),
        ("Chiara 2", "Chiara"),
        ("", ""),
        ("   ", ""),
        ("(demo)", ""),
        ("... --", ""),
    ],
)
def test_a_short_name_is_the_first_word_and_initials(display_name, shown):
    assert short_name(display_name) == shown


@pytest.mark.parametrize(
    ("display_name", "italian"),
    [
        ("Chiara (case officer, demo)", "Chiara (operatore)"),
        ("Chiara Orlandi", "Chiara O. (operatore)"),
        ("", "#7 (operatore)"),  # no name: the account's number, never the e-mail address
        ("(demo)", "#7 (operatore)"),
    ],
)
def test_an_officer_is_named_with_the_role(display_name, italian):
    officer = User(pk=7, email="chiara@example.org", display_name=display_name, is_staff=True)

    with translation.override("it"):
        label = actor_label(officer, [])

    assert label == italian and "example.org" not in label


def test_roles_follow_the_name_once():
    rep = User(pk=9, email="g@example.org", display_name="Giorgio Valli (SLC)", is_staff=False)

    with translation.override("en"):
        assert actor_label(rep, ["union representative (SLC)"]) == "Giorgio V. (union representative (SLC))"
