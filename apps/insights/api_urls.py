from django.urls import re_path

from apps.insights.api import BreachEvidenceView, BreachStatisticsView

app_name = "insights-api"

# The slug takes anything (as in apps/reports/api_urls.py) so that an unknown or malformed slug gets the
# view's documented JSON 404, not the URL resolver's HTML page.
urlpatterns = [
    re_path(r"^breaches/(?P<slug>(?s:.+))/stats/$", BreachStatisticsView.as_view(), name="breach-stats"),
    re_path(r"^breaches/(?P<slug>(?s:.+))/evidence/$", BreachEvidenceView.as_view(), name="breach-evidence"),
]
