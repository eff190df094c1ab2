"""Background delivery of notifications (run by the task worker)."""

from django.tasks import task

from .services import notification_deliver


@task
def deliver_notification(notification_id: int) -> None:
    """Deliver one queued notification."""
    notification_deliver(notification_id=notification_id)
