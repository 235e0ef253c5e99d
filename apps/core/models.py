from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """The last time each Celery worker ran the beat heartbeat task; /healthz reads the newest."""

    hostname = models.CharField(_("worker"), max_length=200, unique=True)
    seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return f"{self.hostname} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"


class DemoScenario(models.Model):
    """Marks that the synthetic demo scenario was seeded, so seed_demo never seeds twice."""

    name = models.CharField(max_length=100, unique=True)
    seed = models.PositiveIntegerField()
    seeded_at = models.DateTimeField(auto_now_add=True)
    summary = models.JSONField(default=dict, help_text=_("What each seeding step created."))

    class Meta:
        verbose_name = _("demo scenario")
        verbose_name_plural = _("demo scenarios")

    def __str__(self):
        return self.name
