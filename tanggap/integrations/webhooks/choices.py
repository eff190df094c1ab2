"""Vocabularies of the messaging gateways and the outbound webhooks."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MessagingChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


class InboundOutcome(models.TextChoices):
    CREATED = "created", _("New report")
    JOINED = "joined", _("Added to an open case")
    IGNORED = "ignored", _("Ignored")


class MessageStatus(models.TextChoices):
    """What the platform last told about a message we sent (WhatsApp status callbacks)."""

    ACCEPTED = "accepted", _("Accepted by the gateway")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    READ = "read", _("Read")
    FAILED = "failed", _("Failed")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Given up")
