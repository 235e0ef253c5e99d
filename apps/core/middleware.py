"""Middleware of the site as a whole."""

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
