from apps.accounts.models import User
from apps.core.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, DemoContext, demo_step


@demo_step(order=10)
def case_officer(context: DemoContext) -> dict:
    """The case officer who runs the demo site (and the admin)."""
    officer, created = User.objects.get_or_create(
        email=f"officer@{DEMO_EMAIL_DOMAIN}",
        defaults={"display_name": "Chiara Officer (demo)", "is_staff": True, "is_superuser": True},
    )
    if created:
        officer.set_password(DEMO_PASSWORD)
        officer.save(update_fields=["password"])
    context.made["officer"] = officer
    return {"officer": officer.email}
