from django.urls import path

from apps.reports.views import brands, bulk, me, numbers, officers, report

app_name = "reports"

urlpatterns = [
    path("report/", report.report_submit_view, name="submit"),
    path("report/bulk/", bulk.bulk_view, name="bulk"),
    path("report/<int:pk>/", report.report_done_view, name="done"),
    path("report/<int:pk>/correct/", report.report_edit_view, name="correct"),
    path("report/<int:pk>/delete/", report.report_withdraw_view, name="withdraw"),
    path("numbers/", numbers.number_search_view, name="numbers"),
    path("numbers/<str:e164>/", numbers.number_detail_view, name="number"),
    path("numbers/<str:e164>/dispute/", numbers.dispute_view, name="dispute"),
    path("me/reports/", me.my_reports_view, name="mine"),
    path("me/blocklist.vcf", me.my_blocklist_view, name="my_blocklist"),
    path("me/api-token/", me.api_token_view, name="api_token"),
    path("officers/reports/", officers.moderation_view, name="moderation"),
    path("officers/reports/bulk/", officers.reports_bulk_view, name="bulk_moderate"),
    path("officers/reports/<int:pk>/hide/", officers.report_hide_view, name="hide"),
    path("officers/numbers/<str:e164>/", officers.officer_number_view, name="officer_number"),
    path("officers/numbers/<str:e164>/allowlist/", officers.allowlist_view, name="allowlist"),
    path("officers/disputes/", officers.disputes_view, name="disputes"),
    path("officers/brands/", brands.brands_view, name="brands"),
    path("officers/brands/map/", brands.brand_map_view, name="brand_map"),
    path("officers/brands/<slug:slug>/edit/", brands.brand_edit_view, name="brand_edit"),
    path("officers/disputes/<int:pk>/resolve/", officers.dispute_resolve_view, name="dispute_resolve"),
]
