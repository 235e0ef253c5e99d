import pytest

from apps.breaches.importing.columns import header_role, normalise_header, plan_columns
from apps.breaches.importing.errors import ImportRejected


@pytest.mark.parametrize(
    "header",
    ["Telefono", "TELEFONO", " telefono ", "Cellulare", "Cell.", "Tel.", "tel", "Numero di telefono", "Numero",
     "Recapito telefonico", "Phone", "Mobile", "Phone number", "Telefono 2", "Tel. casa", "Nr. cellulare",
     "Número de teléfono", "Téléphone"],
)  # fmt: skip
def test_phone_headers_are_recognised_in_italian_and_english_whatever_the_case_accents_or_spacing(header):
    assert header_role(header) == "phone"


@pytest.mark.parametrize(
    "header",
    ["E-mail", "email", "EMAIL", "Mail", "Posta elettronica", "Indirizzo e-mail", "Indirizzo email", "PEC",
     "Indirizzo PEC", "E-Mail aziendale", "Email address", "indirizzo di posta elettronica"],
)  # fmt: skip
def test_email_headers_are_recognised(header):
    assert header_role(header) == "email"


@pytest.mark.parametrize(
    "header",
    ["Cognome", "Nome", "Data di nascita", "Codice fiscale", "Indirizzo", "Numero civico", "Numero documento",
     "Titolo di studio", "CAP", ""],
)  # fmt: skip
def test_other_columns_have_no_role(header):
    assert header_role(header) is None


def test_headers_are_compared_without_case_accents_or_punctuation():
    assert normalise_header("  Indirizzo  E-Mail ") == "indirizzo email"
    assert normalise_header("Città") == "citta"


def test_several_phone_and_email_columns_are_all_used():
    plan = plan_columns(["Nome", "Telefono", "Cellulare", "Email", "PEC"])

    assert plan.phones == (1, 2) and plan.emails == (3, 4)
    assert plan.phone_names == ["Telefono", "Cellulare"]


def test_a_given_column_replaces_detection_for_its_role_only():
    plan = plan_columns(["Nome", "Recapito", "Email"], phone_columns=["recapito"])

    assert plan.phones == (1,) and plan.emails == (2,)


def test_a_column_can_be_given_by_its_1_based_number():
    assert plan_columns(["a", "b", "c"], phone_columns=["3"]).phones == (2,)


def test_a_given_column_that_does_not_exist_is_refused_with_the_headers_found():
    with pytest.raises(ImportRejected) as refused:
        plan_columns(["Nome", "Telefono"], email_columns=["Posta"])

    assert "'Posta'" in str(refused.value) and "'Telefono'" in str(refused.value)


def test_no_usable_column_lists_the_headers_found_and_the_accepted_names():
    with pytest.raises(ImportRejected) as refused:
        plan_columns(["Cognome", "Nome", "Recapito"])

    message = str(refused.value)
    assert "'Cognome', 'Nome', 'Recapito'" in message
    assert "telefono, cellulare" in message and "posta elettronica" in message


def test_a_first_row_of_data_is_masked_in_the_message_and_never_in_what_is_stored():
    with pytest.raises(ImportRejected) as refused:
        plan_columns(["Mario", "3331234567", "mario@example.invalid"])

    assert "3331234567" not in str(refused.value) and "mario@example.invalid" not in str(refused.value)
    assert "#2" in str(refused.value)
    assert "Mario" not in str(refused.value.message)  # the part DatasetImport.error keeps
