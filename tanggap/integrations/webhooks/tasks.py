"""Background work of the outbound webhooks (run by the task worker)."""

from django.db import transaction
from django.tasks import task

from .services.deliveries import deliveries_due, delivery_attempt
from .services.dispatch import deliveries_create
from .services.media import inbound_media_fetch


@task
def deliver_webhook(delivery_id: int) -> str:
    """Make one attempt at a webhook delivery; return its status afterwards."""
    return delivery_attempt(delivery_id=delivery_id)


@task
def dispatch_webhooks() -> dict:
    """Create the deliveries of new case events and hand every due delivery to a task."""
    with transaction.atomic():
        created = deliveries_create()
        transaction.on_commit(lambda: [deliver_webhook.enqueue(pk) for pk in created])
    due = [pk for pk in deliveries_due() if pk not in set(created)]
    for pk in due:
        deliver_webhook.enqueue(pk)
    return {"created": len(created), "retried": len(due)}


@task
def fetch_media(inbound_id: int) -> int:
    """Attach the photos and documents of one WhatsApp message to its report."""
    return inbound_media_fetch(inbound_id=inbound_id)
