import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


def test_passwords_are_hashed_with_argon2():
    from breachwatch import settings as project_settings  # the module, not the per-test overridden settings

    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.django_db
def test_passwords_shorter_than_twelve_characters_are_refused(client):
    with pytest.raises(ValidationError) as error:
        validate_password("short-pw-11")
    assert "at least 12 characters" in " ".join(error.value.messages)

    response = client.post(
        "/accounts/signup/",
        {"email": "a@example.org", "password1": "short-pw-11", "password2": "short-pw-11"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200 and "at least 12 characters" in response.content.decode()


@pytest.mark.django_db
def test_a_password_of_spaces_only_is_refused_next_to_the_field_in_italian(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "a@example.org", "password1": " " * 14, "password2": " " * 14},
        HTTP_ACCEPT_LANGUAGE="it",
    )

    page = response.content.decode()
    from apps.accounts.models import User

    assert response.status_code == 200 and not User.objects.exists()
    assert "La password non può essere fatta solo di spazi." in page


def test_the_whitespace_rule_refuses_tabs_and_line_breaks_but_not_a_password_with_spaces_inside():
    with pytest.raises(ValidationError):
        validate_password("\t \n" * 5)
    validate_password("correct horse battery staple")
