from django.urls import path

from apps.breaches.views import declarations, officers, public

app_name = "breaches"

urlpatterns = [
    path("breaches/", public.breach_list, name="list"),
    path("breaches/<slug:slug>/", public.breach_detail, name="detail"),
    path("me/breaches/", public.my_breaches, name="mine"),
    path("me/breaches/<slug:slug>/declare/", public.declare, name="declare"),
    path("officers/breaches/", officers.breach_registry, name="registry"),
    path("officers/breaches/new/", officers.breach_edit, name="create"),
    path("officers/breaches/<slug:slug>/edit/", officers.breach_edit, name="edit"),
    path("officers/breaches/<slug:slug>/import/", officers.import_upload, name="import"),
    path("officers/imports/<int:pk>/", officers.import_progress, name="import_progress"),
    path("officers/declarations/", declarations.declarations_view, name="declarations"),
    path("officers/declarations/decide/", declarations.declarations_decide_view, name="declarations_decide"),
]
