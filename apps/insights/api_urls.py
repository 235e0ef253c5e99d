from django.urls import path

from apps.insights.api import BreachStatisticsView

app_name = "insights-api"

urlpatterns = [
    path("breaches/<slug:slug>/stats/", BreachStatisticsView.as_view(), name="breach-stats"),
]
