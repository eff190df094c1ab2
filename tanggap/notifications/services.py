"""Queueing and delivering notifications; callers say what to send, never how."""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tanggap.common.crypto import decrypt_text, encrypt_text

from .channels import CHANNELS
from .models import Notification, NotificationStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Wait after the n-th failed attempt: 1, 5, 25 and 125 minutes.
BACKOFF_BASE_MINUTES = 1
BACKOFF_FACTOR = 5
# A row whose task never ran (lost on a crash, or a worker far behind) is taken up by the
# sweep after this long.
PICKUP_AFTER = timedelta(minutes=10)


def retry_delay(attempts: int) -> timedelta:
    """Return the wait before the next attempt after *attempts* failed ones (1, 5, 25, 125 min)."""
    return timedelta(minutes=BACKOFF_BASE_MINUTES * BACKOFF_FACTOR ** max(attempts - 1, 0))


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
        # Due at once; the sweep takes it up if its task has not delivered it by PICKUP_AFTER.
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: deliver_notification.enqueue(notification.pk))
    return notification


def notification_deliver(*, notification_id: int) -> str:
    """Send one notification unless it is sent, failed or its retry is not yet due.

    The row stays locked while the message is sent, so a second or concurrent run waits and
    then finds it sent: one message per row. Return the row's status afterwards.
    """
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None:
            return ""
        if notification.status != NotificationStatus.PENDING:
            return notification.status
        now = timezone.now()
        if notification.attempts and (notification.next_attempt_at or now) > now:
            # A duplicate task of a retry that is not due: the planned one will come.
            return notification.status
        try:
            CHANNELS[notification.channel].send(
                recipient=decrypt_text(notification.recipient_enc),
                subject=notification.subject,
                body=notification.body,
                notification=notification,
            )
        except Exception as exc:  # noqa: BLE001 - any transport failure is recorded and retried
            _record_failure(notification, exc, now)
            return notification.status
        notification.status, notification.sent_at = NotificationStatus.SENT, now
        notification.attempts += 1
        notification.next_attempt_at = None
        notification.save(
            update_fields=["status", "sent_at", "attempts", "next_attempt_at", "updated_at"]
        )
        return notification.status


def _record_failure(notification: Notification, exc: Exception, now: datetime) -> None:
    """Count a failed attempt; plan the next one with backoff, or give up after MAX_ATTEMPTS."""
    notification.attempts += 1
    notification.last_error = f"{type(exc).__name__}: {exc}"[:300]
    if notification.attempts >= MAX_ATTEMPTS:
        notification.status, notification.next_attempt_at = NotificationStatus.FAILED, None
        logger.error("notification %s failed %d times", notification.pk, notification.attempts)
    else:
        notification.next_attempt_at = now + retry_delay(notification.attempts)
        _enqueue_retry(notification.pk, notification.next_attempt_at)
    notification.save(
        update_fields=["attempts", "last_error", "status", "next_attempt_at", "updated_at"]
    )


def _enqueue_retry(notification_id: int, when: datetime) -> None:
    """Plan a delivery at *when* if the task backend can defer; else the sweep takes it up."""
    from .tasks import deliver_notification  # noqa: PLC0415 - tasks import this module

    if not deliver_notification.get_backend().supports_defer:
        return
    transaction.on_commit(
        lambda: deliver_notification.using(run_after=when).enqueue(notification_id)
    )


def notifications_due(*, now: datetime | None = None, limit: int = 1000) -> list[int]:
    """Return the ids of pending notifications the sweep should hand to a task again.

    Those never delivered PICKUP_AFTER after they were queued, and retries that are due (when
    the task backend defers retries itself, only those PICKUP_AFTER late).
    """
    from .tasks import deliver_notification  # noqa: PLC0415 - tasks import this module

    now = now or timezone.now()
    stale = now - PICKUP_AFTER
    retries_due = stale if deliver_notification.get_backend().supports_defer else now
    due = Q(attempts=0, next_attempt_at__lte=stale) | Q(
        attempts__gt=0, next_attempt_at__lte=retries_due
    )
    return list(
        Notification.objects.filter(status=NotificationStatus.PENDING, next_attempt_at__lte=now)
        .filter(due)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def notifications_redeliver(*, now: datetime | None = None) -> int:
    """Enqueue a delivery task for every notification the sweep should take up; return how many.

    Safe however often it runs: delivery of a row that is sent, failed or not yet due does
    nothing.
    """
    from .tasks import deliver_notification  # noqa: PLC0415 - tasks import this module

    ids = notifications_due(now=now)
    for notification_id in ids:
        deliver_notification.enqueue(notification_id)
    return len(ids)
