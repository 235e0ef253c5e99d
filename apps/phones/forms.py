"""Form fields that accept a phone number as people type it and hand back E.164."""

from django import forms

from apps.phones.normalise import MAX_INPUT_LENGTH, InvalidPhoneNumber, normalise_phone


class TelInput(forms.TextInput):
    """<input type="tel">: the phone keypad on mobiles, no browser-side pattern checks."""

    input_type = "tel"


class PhoneNumberField(forms.CharField):
    """cleaned_data holds E.164 ("+393331234567"); errors carry InvalidPhoneNumber's code and message.

    `region` reads numbers typed without a prefix (default settings.PHONE_DEFAULT_REGION), `mobile_only`
    refuses landlines (for one-time codes), `require_valid=False` accepts numbers that are only possible.
    """

    widget = TelInput

    def __init__(self, *, region=None, mobile_only=False, require_valid=True, **kwargs):
        self.region = region
        self.mobile_only = mobile_only
        self.require_valid = require_valid
        kwargs.setdefault("max_length", MAX_INPUT_LENGTH)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "tel", "autocomplete": "tel"}

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        try:
            return normalise_phone(
                value, region=self.region, mobile_only=self.mobile_only, require_valid=self.require_valid
            )
        except InvalidPhoneNumber as error:
            raise forms.ValidationError(error.message, code=error.code) from None
