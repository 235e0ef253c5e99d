from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    # The API first: phone apps call it many times a second and Django tries the patterns in order (the pages'
    # and allauth's are about two hundred). No page lives under api/.
    path("api/v1/", include("apps.breaches.api_urls")),
    path("api/v1/", include("apps.reports.api_urls")),
    path("api/v1/", include("apps.insights.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("apps.core.urls")),
    path("", include("apps.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("apps.breaches.urls")),
    path("", include("apps.reports.urls")),
    path("", include("apps.insights.urls")),
    path("", include("apps.notices.urls")),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the language switch posts here
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
]

# JSON for the API's errors that no API view answers (an unknown address, a body too large); pages unchanged.
handler400 = "apps.core.api_errors.bad_request"
handler404 = "apps.core.api_errors.page_not_found"
handler500 = "apps.core.api_errors.server_error"
