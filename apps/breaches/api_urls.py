from django.urls import path

from apps.breaches.api import BreachListView

app_name = "breaches-api"

urlpatterns = [
    path("breaches/", BreachListView.as_view(), name="breach-list"),
]
