from django.urls import path

from apps.notices import views

app_name = "notices"

urlpatterns = [
    path("me/alerts/", views.alert_preferences_view, name="alert_preferences"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
]
