"""Middleware of the site as a whole."""

from django.utils.cache import add_never_cache_headers

from apps.core.views import healthz

HEALTHZ_PATH = "/healthz"


class HealthzMiddleware:
    """Answer /healthz before Django checks the Host header, so probes need not know the site's name.

    Health probes call the process by its address, not by a name in ALLOWED_HOSTS: docker-compose.yml's
    check asks http://127.0.0.1:8000/healthz inside the container, a load balancer or an orchestrator uses
    the container's IP. CommonMiddleware would validate that Host and answer 400 forever. The health answer
    neither reads nor reflects the Host header, so skipping the check for this one path exposes nothing,
    and every other path keeps Django's host validation. Placed after SecurityMiddleware (which exempts
    /healthz from the HTTPS redirect: probes speak plain HTTP inside the network) and before CommonMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTHZ_PATH:
            return healthz(request)
        return self.get_response(request)


# Powerful browser features no page of the site uses, denied to it and to anything it might embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "autoplay", "bluetooth", "browsing-topics", "camera", "display-capture", "geolocation",
        "gyroscope", "hid", "interest-cohort", "magnetometer", "microphone", "midi", "payment", "serial", "usb",
    )
)  # fmt: skip


class PrivacyHeadersMiddleware:
    """Permissions-Policy on every answer, and `Cache-Control: no-store` on every answer to someone signed in
    (a session or an API token): their pages, exports and API answers are theirs alone, and must not stay in
    a shared cache or in the browser's history cache for the next person at the same computer.

    Listed right after SecurityMiddleware: on the way out it runs after the view and DRF have authenticated
    the request, so request.user is whoever the answer was made for.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META:
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private, max-age=0
        return response
