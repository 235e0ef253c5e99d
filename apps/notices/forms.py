from django import forms
from django.utils.translation import gettext_lazy as _

from apps.notices.models import Kind
from apps.notices.preferences import alerts_offered, alerts_wanted


class AlertPreferencesForm(forms.Form):
    """The alerts a person may receive, each ticked while it is on."""

    wanted = forms.MultipleChoiceField(
        label=_("Send me an e-mail when"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["wanted"]
        field.choices = [(kind, Kind(kind).label) for kind in alerts_offered(person)]
        field.initial = sorted(alerts_wanted(person))
