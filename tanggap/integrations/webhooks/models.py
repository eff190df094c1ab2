"""Business numbers, inbound and outbound messages, and outbound webhook subscriptions."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tanggap.cases.choices import ReportKind
from tanggap.common.models import BaseModel

from .choices import DeliveryStatus, InboundOutcome, MessageStatus, MessagingChannel


class MessagingNumber(BaseModel):
    """A business number on SMS or WhatsApp and the unit whose reports it receives."""

    channel = models.CharField(_("channel"), max_length=10, choices=MessagingChannel)
    # WhatsApp: the Cloud API's phone number id; SMS: the number (or id) the gateway reports
    # as the message's destination.
    identifier = models.CharField(_("number or gateway id"), max_length=64)
    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    kind = models.CharField(
        _("kind of new reports"), max_length=30, choices=ReportKind, default=ReportKind.COMPLAINT
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("messaging number")
        verbose_name_plural = _("messaging numbers")
        constraints = [
            models.UniqueConstraint(fields=["channel", "identifier"], name="messaging_number")
        ]

    def __str__(self):
        return f"{self.get_channel_display()} {self.identifier}"


class InboundMessage(BaseModel):
    """A citizen's message as received; its platform id makes a retried webhook a no-op.

    The sender is kept only as the keyed digest reporters are found by; the text lives in the
    report it created or joined.
    """

    channel = models.CharField(_("channel"), max_length=10, choices=MessagingChannel)
    external_id = models.CharField(_("message id"), max_length=200)
    number = models.ForeignKey(
        MessagingNumber,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received on"),
    )
    sender_digest = models.CharField(max_length=64)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    report = models.ForeignKey(
        "intake.Report",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("report"),
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=InboundOutcome)
    # Media the platform holds for us (type, id, MIME type): fetched by id when needed.
    media = models.JSONField(_("media"), default=list, blank=True)

    class Meta:
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        constraints = [
            models.UniqueConstraint(fields=["channel", "external_id"], name="inbound_message_id")
        ]
        # The 24-hour window: a sender's latest message on a channel.
        indexes = [
            models.Index(fields=["channel", "sender_digest", "-received_at"], name="inbound_sender")
        ]

    def __str__(self):
        return f"{self.channel} {self.external_id}"


class OutboundMessage(BaseModel):
    """A message a gateway accepted, by its id there, with the status the platform last told."""

    channel = models.CharField(_("channel"), max_length=10, choices=MessagingChannel)
    provider_id = models.CharField(_("message id"), max_length=200)
    notification = models.ForeignKey(
        "notifications.Notification",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("notification"),
    )
    recipient_digest = models.CharField(max_length=64, blank=True)
    sent_as = models.CharField(_("sent as"), max_length=10)  # "text" or "template"
    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus, default=MessageStatus.ACCEPTED
    )
    status_at = models.DateTimeField(_("status at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    # A template carries only the subject; when the citizen next writes, the full text follows.
    full_text_queued_at = models.DateTimeField(_("full text queued at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        constraints = [
            models.UniqueConstraint(fields=["channel", "provider_id"], name="outbound_message_id")
        ]

    def __str__(self):
        return f"{self.channel} {self.provider_id} {self.status}"


class Subscription(BaseModel):
    """Another system that receives an organisation's case events, signed with a shared secret."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    # Only this unit and the units below it; all the organisation's units when empty.
    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    secret_enc = models.TextField(editable=False)
    # Event kinds to send; every kind when empty.
    event_kinds = models.JSONField(_("event kinds"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self):
        return self.name


class Delivery(BaseModel):
    """One event for one subscription: the unit of sending and retrying."""

    subscription = models.ForeignKey(
        Subscription,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("subscription"),
    )
    event = models.ForeignKey(
        "cases.CaseEvent", on_delete=models.PROTECT, related_name="+", verbose_name=_("event")
    )
    # Frozen when the delivery is created, so every attempt sends the same body.
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # When the next attempt is due; while an attempt runs, when it is presumed lost.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event"], name="delivery_once")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self):
        return f"{self.subscription_id} {self.event_id} {self.status}"


class DeliveryAttempt(models.Model):
    """One HTTP attempt of a delivery and how it went."""

    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="attempt_log", verbose_name=_("delivery")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.delivery_id} {self.at:%Y-%m-%d %H:%M:%S} {self.status_code or self.error}"


class DispatchCursor(models.Model):
    """How far the dispatcher has read the case event log, by event id."""

    name = models.CharField(max_length=40, unique=True)
    # Every event up to this id has its deliveries.
    last_event_id = models.BigIntegerField(default=0)
    # The newest id read at horizon_at: passed once no older transaction can still commit.
    horizon_event_id = models.BigIntegerField(default=0)
    horizon_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("dispatch cursor")
        verbose_name_plural = _("dispatch cursors")

    def __str__(self):
        return f"{self.name} {self.last_event_id}"
