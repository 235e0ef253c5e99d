from django.conf import settings

from apps.core.models import DemoScenario


def site(request):
    """Values every page needs: whether the synthetic demo is loaded (the banner) and the site URL."""
    return {
        "demo_loaded": DemoScenario.objects.exists(),
        "site_url": settings.SITE_URL,
    }
