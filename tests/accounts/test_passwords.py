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
