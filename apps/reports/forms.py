"""Forms of the report pages. They only shape the input: every rule lives in validation.report_clean(), whose
field errors the views put back on these fields."""

import functools

import phonenumbers
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.breaches.models import DataCategory
from apps.core import formats
from apps.phones.display import as_dialled
from apps.phones.forms import TelInput
from apps.reports.brands import brand_choices
from apps.reports.models import BRAND_MAX_LENGTH, NOTES_MAX_LENGTH, Channel, Outcome, Script

# What the issue lists for "what the caller knew about me"; the API accepts every DataCategory.
CALLER_KNEW_CHOICES = [
    (c.value, c.label)
    for c in (
        DataCategory.NAME,
        DataCategory.BIRTH_DATE,
        DataCategory.EMAIL,
        DataCategory.ADDRESS,
        DataCategory.TAX_CODE,
        DataCategory.CONTEST_DETAILS,
        DataCategory.EMPLOYMENT,
    )
]
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def region_choices() -> list[tuple[str, str]]:
    """Every region phonenumbers knows, "Italia (+39)" style, in the active language and its alphabetical
    order (a select box is read by name, and "Costa d’Avorio" belongs under C in Italian)."""
    return _region_choices(formats.language())


@functools.cache
def _region_choices(language: str) -> list[tuple[str, str]]:
    choices = []
    for region in phonenumbers.SUPPORTED_REGIONS:
        name = formats.country_name(region, language) or region
        choices.append((region, f"{name} (+{phonenumbers.country_code_for_region(region)})"))
    return sorted(choices, key=lambda choice: formats.sort_key(choice[1]))


def _phone_label(phone) -> str:
    number = as_dialled(phone.number)  # "310 000 0001", as its owner writes it
    return f"{number} ({phone.label})" if phone.label else number


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_LOCAL)


class ReportForm(forms.Form):
    caller_number = forms.CharField(
        label=_("Number that contacted you"),
        widget=TelInput(
            attrs={
                "inputmode": "tel",
                "autocomplete": "off",
                "autofocus": True,
                "placeholder": "+234 803 123 4567",
                "class": "number-input",
            }
        ),
        help_text=_("Paste or type it in any form: +234 803 123 4567, 00234 8031234567, 333 123 4567."),
    )
    channel = forms.ChoiceField(label=_("How"), choices=Channel.choices, initial=Channel.CALL, widget=forms.RadioSelect)
    occurred_at = forms.DateTimeField(
        label=_("When"), widget=DateTimeLocalInput(), input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d"]
    )
    contacted_phone = forms.ModelChoiceField(
        label=_("Which of my numbers was contacted"), queryset=None, required=False, empty_label="—"
    )
    script = forms.ChoiceField(label=_("What it was about"), choices=[("", "—"), *Script.choices], required=False)
    impersonated_brand = forms.CharField(
        label=_("Brand or body they pretended to be"),
        required=False,
        widget=forms.TextInput(
            attrs={"maxlength": BRAND_MAX_LENGTH, "placeholder": _("Amazon, Microsoft, INPS…"), "list": "brand-choices"}
        ),
        help_text=_(
            "Choose from the list, or type another. Public figures count only the brands on our list; what you "
            "type is seen only by you and the case officers."
        ),
    )
    caller_knew = forms.MultipleChoiceField(
        label=_("What they knew about you"),
        choices=CALLER_KNEW_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    outcome = forms.ChoiceField(label=_("How it ended"), choices=[("", "—"), *Outcome.choices], required=False)
    loss_eur = forms.CharField(
        label=_("Money lost (euros)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    silent_seconds = forms.IntegerField(
        label=_("How many seconds of silence"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 3600}),
    )
    background_noise = forms.NullBooleanField(
        label=_("Could you hear background noise?"), required=False, widget=forms.NullBooleanSelect
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTES_MAX_LENGTH}),
        help_text=_("Only you and the case officers see them. Do not write other people's details."),
    )
    region_hint = forms.ChoiceField(
        label=_("Country for numbers typed without a prefix"), choices=region_choices, initial="IT"
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        phones = person.phones.order_by("-verified_at", "created_at")
        self.fields["contacted_phone"].queryset = phones
        self.fields["contacted_phone"].label_from_instance = _phone_label
        self.brand_choices = brand_choices()  # offered in a <datalist>: any other text stays private
        if not self.is_bound:
            self.initial.setdefault("occurred_at", timezone.localtime().strftime(DATETIME_LOCAL))
            only = list(phones[:2])
            if len(only) == 1:
                self.initial.setdefault("contacted_phone", only[0].pk)

    @staticmethod
    def initial_of(report) -> dict:
        """A stored report as the form's initial values, to correct it."""
        return {
            "caller_number": report.caller.e164,
            "channel": report.channel,
            "occurred_at": timezone.localtime(report.occurred_at).strftime(DATETIME_LOCAL),
            "contacted_phone": report.contacted_phone_id,
            "script": report.script,
            "impersonated_brand": report.impersonated_brand,
            "caller_knew": list(report.caller_knew or []),
            "outcome": report.outcome,
            "loss_eur": "" if report.loss_eur is None else str(report.loss_eur),
            "silent_seconds": report.silent_seconds,
            "background_noise": report.background_noise,
            "notes": report.notes,
            "region_hint": "IT",
        }

    def service_kwargs(self) -> dict:
        """cleaned_data as report_submit() takes it."""
        data = dict(self.cleaned_data)
        data["caller_knew"] = data.get("caller_knew") or []
        if data.get("channel") != Channel.SILENT_CALL:
            # The silent-call fields sit in a section a person may fill and then switch channel.
            data["silent_seconds"] = data["background_noise"] = None
        return data


class NumberSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Who called me?"),
        max_length=200,
        widget=TelInput(attrs={"inputmode": "tel", "placeholder": "+234 803 123 4567", "autocomplete": "off"}),
    )


class DisputeForm(forms.Form):
    who = forms.CharField(
        label=_("Who you are"),
        max_length=200,
        help_text=_("For example: the company or public office that uses this number."),
    )
    contact = forms.CharField(label=_("How we can reach you (optional)"), max_length=200, required=False)
    reason = forms.CharField(
        label=_("Why the number is legitimate"),
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": NOTES_MAX_LENGTH}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class DisputeDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("uphold", _("Uphold: mark the number legitimate")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class BulkReportForm(forms.Form):
    pasted = forms.CharField(
        label=_("Numbers, one per line"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "+234 803 123 4567, 31/01/2025 09:30, sms"}),
        help_text=_("Each line: the number, then optionally the date and time and how (call, sms, whatsapp…)."),
    )
    call_log = forms.FileField(
        label=_("Or a call log exported from your phone (CSV)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )
    channel = forms.ChoiceField(label=_("How, when a line does not say"), choices=Channel.choices, initial=Channel.CALL)
    occurred_at = forms.DateTimeField(
        label=_("When, for lines without a date"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    region_hint = forms.ChoiceField(
        label=_("Country for numbers typed without a prefix"), choices=region_choices, initial="IT"
    )

    def clean(self):
        data = super().clean()
        if not (data.get("pasted") or "").strip() and not data.get("call_log"):
            raise forms.ValidationError(_("Paste some numbers or choose a call log file."))
        return data
