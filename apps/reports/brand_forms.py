"""Forms of the officers' brand list page (apps.reports.views.brands); the rules live in apps.reports.brands."""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from apps.reports.brands import MAX_ALIASES
from apps.reports.models import BRAND_MAX_LENGTH, Brand


class BrandForm(forms.Form):
    name_it = forms.CharField(label=_("Name in Italian"), max_length=BRAND_MAX_LENGTH)
    name_en = forms.CharField(label=_("Name in English"), max_length=BRAND_MAX_LENGTH)
    slug = forms.CharField(
        label=_("Identifier"),
        max_length=60,
        required=False,
        help_text=_("Letters, digits and hyphens; made from the Italian name when left empty. It cannot change later."),
    )
    aliases = forms.CharField(
        label=_("Other ways people write it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        # Formatted when shown: a lazy string formatted with % at import would stay in that moment's language.
        help_text=lazy(
            lambda: (
                _(
                    "One per line, at most %(max)d. Case, accents, spaces and punctuation do not matter; the two names "
                    "are always included."
                )
                % {"max": MAX_ALIASES}
            ),
            str,
        )(),
    )

    def __init__(self, *args, brand: Brand | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if brand is not None:
            del self.fields["slug"]  # reports and the statistics hold it

    def alias_lines(self) -> list[str]:
        return [line for line in self.cleaned_data["aliases"].splitlines() if line.strip()]


class BrandMapForm(forms.Form):
    """Map what people typed to a curated brand: the typed text becomes one of its aliases."""

    text = forms.CharField(max_length=BRAND_MAX_LENGTH, widget=forms.HiddenInput)
    brand = forms.ModelChoiceField(label=_("Curated brand"), queryset=Brand.objects.all(), to_field_name="slug")
