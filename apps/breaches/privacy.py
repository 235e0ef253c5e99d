from apps.accounts.privacy import export_section
from apps.breaches.models import Exposure


@export_section("breaches")
def exposures(person) -> list[dict]:
    """The breaches that hold the person and how that is known (exposures go with the person on erasure)."""
    return [
        {
            "breach": e.breach.title,
            "organisation": e.breach.organisation.name,
            "established": e.established,
            "since": e.created_at.isoformat(),
        }
        for e in Exposure.objects.of_person(person).select_related("breach__organisation").order_by("created_at")
    ]
