"""Background delivery of notifications (run by the task worker)."""

from django.tasks import task

from .services import notification_deliver


@task
def deliver_notification(notification_id: int) -> str:
    """Deliver one queued notification; return its status afterwards."""
    return notification_deliver(notification_id=notification_id)
