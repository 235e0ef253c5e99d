from django.urls import path

from apps.insights import views
from apps.insights.linkage import views as evidence_views

app_name = "insights"

urlpatterns = [
    path("breaches/<slug:slug>/statistics.csv", views.breach_csv, name="breach-csv"),
    path("dashboards/", views.dashboard_index, name="dashboards"),
    path("dashboards/<slug:slug>/", views.dashboard, name="dashboard"),
    path("dashboards/<slug:slug>/export.csv", views.dashboard_csv, name="dashboard-csv"),
    path("methods/", views.methods, name="methods"),
    path("officers/evidence/", evidence_views.evidence_list, name="officer_evidence"),
    path("officers/evidence/<slug:slug>/", evidence_views.evidence_detail, name="officer_evidence_detail"),
    path(
        "officers/evidence/<slug:slug>/recompute/", evidence_views.evidence_recompute, name="officer_evidence_recompute"
    ),
]
