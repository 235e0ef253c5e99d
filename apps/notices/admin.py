"""Officers read the outbox and each message's history here, and send a failed message again."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.notices.models import DeliveryAttempt, OutgoingMessage
from apps.notices.outbox import outbox_retry


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    fields = ("at", "outcome", "error")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # the history is written by the outbox only


@admin.register(OutgoingMessage)
class OutgoingMessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "recipient", "language", "state", "attempts", "sent_at")
    list_filter = ("state", "kind", "language")
    search_fields = ("recipient", "message_id", "key")
    readonly_fields = [field.name for field in OutgoingMessage._meta.fields]
    inlines = [DeliveryAttemptInline]
    actions = ["retry_failed"]

    def has_add_permission(self, request):
        return False  # messages are queued by the site's own code (apps/notices/outbox.enqueue)

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected failed e-mails again"), permissions=["view"])
    def retry_failed(self, request, queryset):
        retried = sum(outbox_retry(message=message) for message in queryset.filter(state=OutgoingMessage.State.FAILED))
        self.message_user(
            request,
            ngettext("%(n)d e-mail queued again.", "%(n)d e-mails queued again.", retried) % {"n": retried},
            messages.SUCCESS,
        )
