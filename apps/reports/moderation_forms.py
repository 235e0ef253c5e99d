"""The filters of the officers' moderation page. They only shape the query string into the arguments of
selectors.reports_for_moderation(); a bad value is a field error shown above the table, never a 500."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.breaches.models import Breach
from apps.phones.forms import TelInput
from apps.phones.normalise import InvalidPhoneNumber, normalise_phone
from apps.reports.models import Channel

MAX_RANGE_DAYS = 3660  # a date range is days of contacts, not a way to make the database parse year 9999


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ModerationFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Number"),
        required=False,
        max_length=40,
        widget=TelInput(attrs={"placeholder": _("Number, in any format"), "autocomplete": "off"}),
    )
    channel = forms.ChoiceField(label=_("How"), required=False, choices=[("", _("any way"))] + Channel.choices)
    since = forms.DateField(label=_("Contact from"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Contact until"), required=False, widget=DateInput())
    weight = forms.ChoiceField(
        label=_("Weight"),
        required=False,
        choices=[("", _("any weight")), ("low", _("low weight only")), ("full", _("full weight only"))],
    )
    breach = forms.ModelChoiceField(
        label=_("Reporter linked to"),
        required=False,
        queryset=Breach.objects.order_by("-occurred_on", "pk"),
        empty_label=_("any breach"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("shown and hidden")), ("shown", _("counted")), ("hidden", _("hidden"))],
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("-created_at", _("newest reports first")),
            ("created_at", _("oldest reports first")),
            ("-occurred_at", _("latest contacts first")),
            ("occurred_at", _("earliest contacts first")),
        ],
    )

    def clean_q(self):
        query = self.cleaned_data["q"].strip()
        if not query:
            return ""
        try:
            return normalise_phone(query, require_valid=False)
        except InvalidPhoneNumber as error:
            raise forms.ValidationError(error.message) from error

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until:
            if since > until:
                self.add_error("until", _("The end date comes before the start date."))
            elif (until - since).days > MAX_RANGE_DAYS:
                self.add_error("until", _("Choose at most ten years."))
        return data

    def selection(self) -> dict:
        """The keyword arguments of reports_for_moderation(); call after is_valid()."""
        data = self.cleaned_data
        return {
            "e164": data.get("q", ""),
            "channel": data.get("channel", ""),
            "since": _start_of(data.get("since")),
            "until": _start_of(data["until"] + datetime.timedelta(days=1)) if data.get("until") else None,
            "low_weight": {"low": True, "full": False}.get(data.get("weight")),
            "breach": data.get("breach"),
            "hidden": {"hidden": True, "shown": False}.get(data.get("status")),
            "sort": data.get("sort") or "-created_at",
        }


def _start_of(day):
    """Midnight of `day` in the site's time zone, as the officer reads the dates."""
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
