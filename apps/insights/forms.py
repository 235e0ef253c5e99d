from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.insights.models import ANY
from apps.insights.periods import Period, period_from_params
from apps.reports.models import Channel


class StatisticsFilterForm(forms.Form):
    """Period, channel and (on dashboards) breach of a set of figures, read from the query string."""

    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[
            ("all", _("All time")),
            ("12m", _("Last 12 months")),
            ("3m", _("Last 3 months")),
            ("since-breach", _("Since the breach")),
            ("custom", _("Months I choose")),
        ],
    )
    start = forms.CharField(label=_("From (month)"), required=False, widget=forms.DateInput(attrs={"type": "month"}))
    end = forms.CharField(label=_("To (month)"), required=False, widget=forms.DateInput(attrs={"type": "month"}))
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", _("All channels")), *Channel.choices])
    breach = forms.ChoiceField(label=_("Breach"), required=False)

    def __init__(self, data=None, *, breach=None, breach_choices=None):
        data = data.copy() if data is not None else None
        if data is not None:  # the query string says from/to, like the API; the form fields cannot be "from"
            for param, name in (("from", "start"), ("to", "end")):
                if param in data and name not in data:
                    data[name] = data[param]
            if (data.get("start") or data.get("end")) and not data.get("period"):
                data["period"] = "custom"  # a link with months only, as the API takes them
        super().__init__(data)
        self.breach_for_period = breach
        if breach is None and not breach_choices:
            self.fields["period"].choices = [c for c in self.fields["period"].choices if c[0] != "since-breach"]
        if breach_choices is None:
            del self.fields["breach"]
        else:
            self.fields["breach"].choices = [("", _("All breaches")), *[(b.slug, b.title) for b in breach_choices]]
            self.breaches = {b.slug: b for b in breach_choices}

    def clean(self):
        cleaned = super().clean()
        preset = cleaned.get("period") or "all"
        params = {"period": preset} if preset != "custom" else {"from": cleaned.get("start"), "to": cleaned.get("end")}
        if preset == "custom" and not cleaned.get("start"):
            self.add_error("start", _("Give the first month."))
            return cleaned
        breach = self.breaches.get(cleaned.get("breach")) if "breach" in self.fields else None
        try:
            cleaned["period_value"] = period_from_params(params, breach=breach or self.breach_for_period)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                name = {"from": "start", "to": "end"}.get(field, field)
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
        cleaned["breach_value"] = breach
        cleaned["channel_value"] = cleaned.get("channel") or ANY
        return cleaned

    def selection(self) -> tuple[Period, str, object]:
        """(period, channel, breach) once valid; the defaults when the form was not filled in."""
        if not self.is_bound or not self.is_valid():
            return Period(), ANY, None
        return self.cleaned_data["period_value"], self.cleaned_data["channel_value"], self.cleaned_data["breach_value"]
