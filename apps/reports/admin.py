"""Read-mostly admin views of numbers, reports and disputes. Moderation itself goes through the officers'
pages (/officers/reports/), which call the moderation services, refresh the counters and write the audit log;
so the derived counters and the moderation fields are read-only here."""

from django.contrib import admin

from apps.reports.models import CallerNumber, ContactReport, NumberDispute

_COUNTERS = (
    "first_seen",
    "last_seen",
    "reports_count",
    "reporters_count",
    "evidence",
    "legitimate_evidence",
    "spam_confidence",
    "is_public",
    "refreshed_at",
)


@admin.register(CallerNumber)
class CallerNumberAdmin(admin.ModelAdmin):
    list_display = ("e164", "country", "line_type", "valid", "reporters_count", "spam_confidence", "is_public")
    list_filter = ("is_public", "is_allowlisted", "country", "valid")
    search_fields = ("e164",)
    readonly_fields = (*_COUNTERS, "is_allowlisted", "allowlist_reason", "allowlisted_at", "created_at")

    def has_add_permission(self, request):
        return False  # numbers come from reports

    def has_delete_permission(self, request, obj=None):
        return False  # reports refer to them


@admin.register(ContactReport)
class ContactReportAdmin(admin.ModelAdmin):
    list_display = ("created_at", "caller", "channel", "script", "low_weight", "hidden", "via")
    list_filter = ("channel", "script", "low_weight", "hidden", "via")
    search_fields = ("caller__e164",)
    list_select_related = ("caller",)
    raw_id_fields = ("reporter", "caller", "contacted_phone")
    readonly_fields = [f.name for f in ContactReport._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(NumberDispute)
class NumberDisputeAdmin(admin.ModelAdmin):
    list_display = ("created_at", "caller", "who", "status")
    list_filter = ("status",)
    readonly_fields = [f.name for f in NumberDispute._meta.fields]

    def has_add_permission(self, request):
        return False
