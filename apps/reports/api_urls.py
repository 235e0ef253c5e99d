from django.urls import path, re_path

from apps.reports.api import (
    BreachBlocklistCSVView,
    BreachBlocklistVCardView,
    NumberReputationView,
    ReportCreateView,
    ReportDetailView,
)
from apps.reports.brand_api import BrandListView

app_name = "reports-api"

# Path parameters take anything (newlines and encoded slashes included) so that the views, not the URL
# resolver's HTML page, answer a number in any format or an unknown slug with the documented 404.
_ANY = r"(?s:.+)"

urlpatterns = [
    path("reports/", ReportCreateView.as_view(), name="report-create"),
    path("brands/", BrandListView.as_view(), name="brand-list"),
    re_path(rf"^reports/(?P<pk>{_ANY})/$", ReportDetailView.as_view(), name="report-detail"),
    re_path(rf"^numbers/(?P<e164>{_ANY})/$", NumberReputationView.as_view(), name="number-reputation"),
    re_path(
        rf"^breaches/(?P<slug>{_ANY})/blocklist\.csv$", BreachBlocklistCSVView.as_view(), name="breach-blocklist-csv"
    ),
    re_path(
        rf"^breaches/(?P<slug>{_ANY})/blocklist\.vcf$", BreachBlocklistVCardView.as_view(), name="breach-blocklist-vcf"
    ),
]
