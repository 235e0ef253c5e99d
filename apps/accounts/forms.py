from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _

from apps.phones.forms import PhoneNumberField


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form, doing the same work whether or not the address already has an account.

    allauth already answers both cases with the same page and mails the existing owner instead of creating a
    second account, but a new account's password is hashed (Argon2, most of a second) and a taken address's
    was not: the answer's time told which addresses are registered. The taken case now hashes the password
    too, with the same hasher, and throws the result away."""

    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)


class PhoneAddForm(forms.Form):
    number = PhoneNumberField(
        label=_("Mobile number"),
        mobile_only=True,
        help_text=_("Any format: 333 123 4567, +39 333 1234567, 0039 333-123-4567. We send it a code by SMS."),
    )
    label = forms.CharField(
        label=_("Label (optional)"), max_length=40, required=False, help_text=_("For example: work, personal.")
    )


class PhoneVerifyForm(forms.Form):
    code = forms.RegexField(
        label=_("Code received by SMS"),
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        max_length=8,
        error_messages={"invalid": _("The code is the 6 digits in the SMS.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}),
    )


class ReportingSinceForm(forms.Form):
    """ "I have reported every contact since …": the start of the person's observation window (the service
    checks the date against their first report and today)."""

    reporting_since = forms.DateField(
        label=_("I have reported every contact since"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"required": _("Enter a date."), "invalid": _("Enter a date such as 31/01/2025.")},
        help_text=_(
            "Statistics count your contacts per day from this date: set it to the day from which you have "
            "reported every unwanted call and message, at the earliest the day of your first report."
        ),
    )


class EraseForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    confirm = forms.BooleanField(label=_("I understand that this cannot be undone."))

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.person.check_password(password):
            raise forms.ValidationError(_("The password is not right."), code="wrong_password")
        return password


class InvitationUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file of e-mail addresses"),
        help_text=_("One address per row, in a column named “email” (UTF-8 or Latin-1, comma or semicolon)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )


class InviteOneForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "placeholder": "nome.cognome@example.org"}),
    )


class AuditFilterForm(forms.Form):
    """The audit log's filters; a bad value is a field error above the table."""

    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        from apps.accounts.models import AuditEvent

        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions")), *AuditEvent.Action.choices]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end date comes before the start date."))
        return data

    def selection(self) -> dict:
        """The keyword arguments of audit_log.audit_events(); days are the site's, the end day included."""
        import datetime

        from django.utils import timezone

        def midnight(day):
            return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min)) if day else None

        data = self.cleaned_data
        until = data.get("until")
        return {
            "action": data.get("action", ""),
            "since": midnight(data.get("since")),
            "until": midnight(until + datetime.timedelta(days=1)) if until else None,
        }
