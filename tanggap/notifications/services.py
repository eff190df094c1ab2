"""Queueing and delivering notifications; callers say what to send, never how."""

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tanggap.common.crypto import decrypt_text, encrypt_text

from .channels import CHANNELS
from .models import Notification, NotificationStatus

MAX_ATTEMPTS = 5


def notification_queue(
    *,
    channel: str,
    recipient: str,
    template: str,
    context: dict,
    reference: str = "",
    key: str | None = None,
    case=None,
    language: str = "id",
) -> Notification:
    """Store a message rendered from *template* and deliver it once the transaction commits.

    With a *key* (e.g. "event:12:report:7"), queueing the same message again returns the
    stored row: an event never notifies a recipient twice, even when its task is retried.
    """
    from .tasks import deliver_notification  # noqa: PLC0415 - tasks import this module

    if key and (existing := Notification.objects.filter(key=key).first()):
        return existing
    with translation.override(language or "id"):
        text = render_to_string(f"notifications/{template}.txt", context).strip()
    subject, _, body = text.partition("\n")
    notification = Notification.objects.create(
        channel=channel,
        recipient_enc=encrypt_text(recipient),
        subject=subject.strip()[:200],
        body=body.strip(),
        reference=reference,
        key=key,
        case=case,
    )
    transaction.on_commit(lambda: deliver_notification.enqueue(notification.pk))
    return notification


def notification_deliver(*, notification_id: int) -> None:
    """Send one notification; safe to run twice (a sent one is not sent again)."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.status == NotificationStatus.SENT:
            return
        try:
            CHANNELS[notification.channel].send(
                recipient=decrypt_text(notification.recipient_enc),
                subject=notification.subject,
                body=notification.body,
            )
        except Exception as exc:  # noqa: BLE001 - any transport failure is recorded and retried
            notification.attempts += 1
            notification.last_error = str(exc)[:300]
            if notification.attempts >= MAX_ATTEMPTS:
                notification.status = NotificationStatus.FAILED
            notification.save(update_fields=["attempts", "last_error", "status", "updated_at"])
            return
        notification.status, notification.sent_at = NotificationStatus.SENT, timezone.now()
        notification.attempts += 1
        notification.save(update_fields=["status", "sent_at", "attempts", "updated_at"])
