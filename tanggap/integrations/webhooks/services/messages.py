"""What happened to the messages we sent: the gateway's id, then the platform's callbacks."""

from django.utils import timezone

from tanggap.common.crypto import decrypt_text
from tanggap.intake.services import contact_digest
from tanggap.notifications.channels import SmsChannel, WhatsAppChannel, channel_register

from ..choices import MessageStatus, MessagingChannel
from ..models import OutboundMessage
from ..parsing import StatusUpdate
from .inbound import whatsapp_sender_for, whatsapp_window_open

# A status only moves forward; "failed" may come at any point.
STATUS_ORDER = [
    MessageStatus.ACCEPTED,
    MessageStatus.SENT,
    MessageStatus.DELIVERED,
    MessageStatus.READ,
]


def outbound_record(*, notification, provider_id: str, sent_as: str) -> OutboundMessage:
    """Remember that the gateway took *notification* under *provider_id*, for its callbacks.

    Runs inside the delivery's transaction; a repeated id returns the stored row.
    """

    phone = decrypt_text(notification.recipient_enc)
    row, _created = OutboundMessage.objects.get_or_create(
        channel=notification.channel,
        provider_id=provider_id[:200],
        defaults={
            "notification": notification,
            "recipient_digest": contact_digest("phone", phone),
            "sent_as": sent_as,
            "status_at": timezone.now(),
        },
    )
    return row


def status_update(*, channel: str, update: StatusUpdate) -> bool:
    """Apply a platform's status callback to the message it names; False if we sent none.

    Unknown statuses and ids are ignored: the platform must not retry them.
    """
    if update.status not in MessageStatus.values:
        return False
    row = OutboundMessage.objects.filter(channel=channel, provider_id=update.provider_id).first()
    if row is None:
        return False
    stale = (
        update.status != MessageStatus.FAILED
        and row.status in STATUS_ORDER
        and STATUS_ORDER.index(update.status) <= STATUS_ORDER.index(row.status)
    )
    if stale:
        return True  # callbacks arrive out of order: never step back
    row.status = update.status
    row.status_at = update.at or timezone.now()
    row.error = update.error if update.status == MessageStatus.FAILED else row.error
    row.save(update_fields=["status", "status_at", "error", "updated_at"])
    return True


def _on_sent(notification, provider_id: str, sent_as: str) -> None:
    outbound_record(notification=notification, provider_id=provider_id, sent_as=sent_as)


def channels_register() -> None:
    """Give the outbox SMS and WhatsApp channels that know the 24-hour window and record ids."""
    channel_register(MessagingChannel.SMS, SmsChannel(on_sent=_on_sent))
    channel_register(
        MessagingChannel.WHATSAPP,
        WhatsAppChannel(
            window_open=whatsapp_window_open,
            sender_for=whatsapp_sender_for,
            on_sent=_on_sent,
        ),
    )
