from django import forms

from apps.phones.forms import PhoneNumberField


class ReportForm(forms.Form):
    caller = PhoneNumberField(require_valid=False)
    mobile = PhoneNumberField(mobile_only=True, required=False)
    nigerian = PhoneNumberField(region="NG", required=False)


def test_phone_number_field_cleans_to_e164():
    form = ReportForm(data={"caller": "0039 06 1234-5678", "mobile": "333 123 4567", "nigerian": "0803 123 4567"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"caller": "+390612345678", "mobile": "+393331234567", "nigerian": "+2348031234567"}


def test_phone_number_field_reports_the_error_code_and_message():
    form = ReportForm(data={"caller": "call me", "mobile": "06 1234 5678"})
    assert not form.is_valid()
    assert form.errors.as_data()["caller"][0].code == "unparseable"
    assert form.errors.as_data()["mobile"][0].code == "not_mobile"
    assert "mobile" in form.errors["mobile"][0]


def test_phone_number_field_refuses_over_long_input_as_too_long():
    form = ReportForm(data={"caller": "3" * 41})
    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["caller"]] == ["too_long"]


def test_phone_number_field_is_required_by_default_and_empty_when_optional():
    form = ReportForm(data={"caller": "", "mobile": ""})
    assert not form.is_valid()
    assert form.errors.as_data()["caller"][0].code == "required"
    assert form.cleaned_data["mobile"] == ""


def test_phone_number_field_renders_a_telephone_input():
    html = str(ReportForm()["caller"])
    for attribute in ('type="tel"', 'inputmode="tel"', 'autocomplete="tel"', 'maxlength="40"'):
        assert attribute in html


def test_phone_number_field_messages_follow_the_active_language():
    from django.utils import translation

    with translation.override("en"):
        form = ReportForm(data={"caller": "12"})
        form.is_valid()
        assert form.errors["caller"] == ["This number is too short."]
