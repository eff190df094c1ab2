"""Read-only view of the outbox for administrators."""

from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "reference", "status", "attempts", "sent_at"]
    list_filter = ["channel", "status"]
    search_fields = ["reference"]
    exclude = ["recipient_enc"]
    readonly_fields = [
        "channel",
        "subject",
        "body",
        "reference",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "sent_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
