from django.urls import path

from apps.insights import views

app_name = "insights"

urlpatterns = [
    path("breaches/<slug:slug>/statistics.csv", views.breach_csv, name="breach-csv"),
    path("dashboards/", views.dashboard_index, name="dashboards"),
    path("dashboards/<slug:slug>/", views.dashboard, name="dashboard"),
    path("dashboards/<slug:slug>/export.csv", views.dashboard_csv, name="dashboard-csv"),
    path("methods/", views.methods, name="methods"),
]
