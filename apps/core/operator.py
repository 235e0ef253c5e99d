"""Who runs this BreachWatch: the data controller the privacy notice, about and contact pages name."""

from django.conf import settings


def site_operator() -> dict:
    """The operator's identity and contacts from settings (required in production, demo values otherwise)."""
    return {
        "name": settings.SITE_OPERATOR_NAME,
        "address": settings.SITE_OPERATOR_ADDRESS,
        "email": settings.SITE_CONTACT_EMAIL,
        "dpo_email": settings.SITE_DPO_EMAIL or None,
        "backup_days": settings.SITE_BACKUP_RETENTION_DAYS,
        "site_url": settings.SITE_URL,
    }
