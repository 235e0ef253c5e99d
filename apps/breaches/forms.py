from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from apps.breaches.models import Breach, DataCategory


class SourcesField(forms.CharField):
    """The JSON list of source addresses, edited one per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        urls = [line.strip() for line in (value or "").splitlines() if line.strip()]
        for url in urls:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                raise ValidationError(_("%(url)s is not an http(s) address.") % {"url": url}) from None
        return urls


class BreachForm(forms.ModelForm):
    """The officers' breach form; saving goes through services.breach_register (same rules as the command)."""

    organisation_name = forms.CharField(
        label=_("Organisation (data controller)"),
        max_length=200,
        help_text=_("Name or short name; created if it does not exist yet."),
    )
    data_categories = forms.MultipleChoiceField(
        label=_("Exposed data"), choices=DataCategory.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    sources = SourcesField(label=_("Sources"), required=False, help_text=_("Links to news or notices, one per line."))

    class Meta:
        model = Breach
        fields = [
            "title_it",
            "title_en",
            "slug",
            "description_it",
            "description_en",
            "occurred_on",
            "discovered_on",
            "disclosed_on",
            "approx_people",
            "is_verified",
            "is_sensitive",
        ]
        widgets = {
            f: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for f in ("occurred_on", "discovered_on", "disclosed_on")
        }
        help_texts = {"title_en": _("Shown on the English pages; the Italian title is shown while it is empty.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["organisation_name"].initial = self.instance.organisation.name
            self.fields["sources"].initial = self.instance.sources
            self.fields["slug"].disabled = True  # it is in every link people shared

    def _post_clean(self):
        # Model validation runs in breach_register, which needs the organisation first.
        pass


class DatasetUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Leaked file (CSV)"),
        help_text=_(
            "UTF-8 or Latin-1, separated by commas or semicolons. Only keyed hashes of its phone numbers and e-mail "
            "addresses are kept; the file itself is deleted when the import ends."
        ),
    )
    phone_columns = forms.CharField(
        label=_("Phone columns (optional)"),
        required=False,
        help_text=_("Header names separated by commas; detected when empty."),
    )
    email_columns = forms.CharField(label=_("E-mail columns (optional)"), required=False)
    region = forms.CharField(label=_("Country of numbers without prefix"), initial="IT", max_length=2, min_length=2)

    def clean_region(self):
        return self.cleaned_data["region"].upper()

    @staticmethod
    def _columns(value: str) -> list[str] | None:
        columns = [c.strip() for c in value.split(",") if c.strip()]
        return columns or None

    def import_options(self) -> dict:
        data = self.cleaned_data
        return {
            "phone_columns": self._columns(data["phone_columns"]),
            "email_columns": self._columns(data["email_columns"]),
            "region": data["region"],
        }
