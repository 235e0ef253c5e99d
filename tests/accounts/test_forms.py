import re

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
