"""Case officers curate organisations and breaches here. ExposedIdentifier is deliberately not registered:
its digests mean nothing to a reader, and listing them would only invite scraping."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.breaches.forms import SourcesField
from apps.breaches.models import Breach, DataCategory, DatasetImport, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "website", "created_at")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class BreachForm(forms.ModelForm):
    data_categories = forms.MultipleChoiceField(
        label=_("data categories"), choices=DataCategory.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    sources = SourcesField(label=_("sources"), required=False, help_text=_("One address per line."))

    class Meta:
        model = Breach
        fields = [
            "organisation", "title_it", "title_en", "slug", "description_it", "description_en",
            "occurred_on", "discovered_on", "disclosed_on",
            "data_categories", "approx_people", "sources", "is_verified", "is_sensitive",
        ]  # fmt: skip


@admin.register(Breach)
class BreachAdmin(admin.ModelAdmin):
    form = BreachForm
    list_display = (
        "__str__",
        "organisation",
        "occurred_on",
        "disclosed_on",
        "approx_people",
        "is_verified",
        "is_sensitive",
    )
    list_filter = ("is_verified", "is_sensitive", "organisation", "occurred_on")
    search_fields = ("title_it", "title_en", "slug", "organisation__name")
    prepopulated_fields = {"slug": ("title_it",)}
    autocomplete_fields = ("organisation",)
    date_hierarchy = "occurred_on"
    fieldsets = (
        (None, {"fields": ("organisation", "title_it", "title_en", "slug", "description_it", "description_en")}),
        (_("Dates"), {"fields": ("occurred_on", "discovered_on", "disclosed_on")}),
        (_("What leaked"), {"fields": ("data_categories", "approx_people", "sources")}),
        (_("Flags"), {"fields": ("is_verified", "is_sensitive")}),
    )


@admin.register(DatasetImport)
class DatasetImportAdmin(admin.ModelAdmin):
    """Read-only: imports are run by the import_exposures command or the upload task, never edited."""

    list_display = (
        "original_name", "breach", "status", "progress", "rows_read", "phones_stored", "emails_stored",
        "duplicates", "skipped", "created_at",
    )  # fmt: skip
    list_filter = ("status", "breach")
    list_select_related = ("breach",)
    search_fields = ("original_name", "breach__title_it", "breach__title_en")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]
