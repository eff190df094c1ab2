"""The outbox: one row per message to send, the unit of delivery and retry."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tanggap.common.models import BaseModel


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(BaseModel):
    """A message to a citizen or officer; the recipient is encrypted like other contact data."""

    channel = models.CharField(_("channel"), max_length=20, choices=NotificationChannel)
    recipient_enc = models.TextField()
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    reference = models.CharField(_("reference"), max_length=40, blank=True, db_index=True)
    # One message per event and recipient: a retried task finds the row and queues nothing.
    key = models.CharField(max_length=120, null=True, blank=True, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("case"),
    )
    # When a pending message is due (again): set when queued, pushed back after each failure.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=NotificationStatus, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["status", "created_at"], name="notification_status"),
            # The sweep's look for deliveries that are due again.
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
        ]

    def __str__(self):
        return f"{self.channel} {self.reference} {self.status}"
