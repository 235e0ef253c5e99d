from django.contrib import admin

from apps.core.models import DemoScenario, WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("hostname", "seen_at")
    ordering = ("-seen_at",)


@admin.register(DemoScenario)
class DemoScenarioAdmin(admin.ModelAdmin):
    list_display = ("name", "seed", "seeded_at")
    readonly_fields = ("name", "seed", "seeded_at", "summary")
