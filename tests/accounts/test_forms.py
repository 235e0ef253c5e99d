import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.accounts.forms import PhoneAddForm, PhoneVerifyForm

E164 = re.compile(r"^\+[1-9]\d{6,14}$")


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), st.from_regex(r"[+0 ]{0,3}[0-9 ()./-]{0,25}", fullmatch=True)))
def test_any_text_in_the_phone_field_gives_e164_or_a_field_error(typed):
    form = PhoneAddForm(data={"number": typed})

    if form.is_valid():
        assert E164.match(form.cleaned_data["number"])
    else:
        assert form.errors["number"] and all(isinstance(m, str) and m for m in form.errors["number"])


def test_the_code_field_accepts_six_digits_with_a_space_and_refuses_the_rest():
    assert PhoneVerifyForm(data={"code": "123 456"}).is_valid()
    assert PhoneVerifyForm(data={"code": "12345"}).errors["code"] == ["The code is the 6 digits in the SMS."]


def address_of_length(length: int) -> str:
    domain = ".".join(["d" * 60] * 3) + ".example.org"  # valid labels of up to 63 characters
    return "a" * (length - len(domain) - 1) + "@" + domain


@pytest.mark.django_db
def test_sign_up_refuses_an_address_longer_than_254_characters_instead_of_cutting_it(client):
    from allauth.account.models import EmailAddress

    from apps.accounts.models import User

    password = "Lampone-verde-2026!"
    response = client.post(
        "/accounts/signup/",
        {"email": address_of_length(255), "password1": password, "password2": password},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "An e-mail address cannot be longer than 254 characters (this one has 255)."
    ]
    assert not User.objects.exists() and not EmailAddress.objects.exists()

    fits = address_of_length(254)
    client.post("/accounts/signup/", {"email": fits, "password1": password, "password2": password})
    assert User.objects.get().email == fits  # the longest deliverable address is kept whole
