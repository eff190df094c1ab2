"""Enqueue the webhook dispatcher (cron runs this every minute; the worker does the work)."""

from django.core.management.base import BaseCommand

from tanggap.integrations.webhooks.tasks import dispatch_webhooks


class Command(BaseCommand):
    help = (
        "Enqueue the webhook dispatcher: one delivery per subscription for each new case "
        "event, and the deliveries due for a retry. With --now it runs here."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Run the dispatcher in this process, not the worker."
        )

    def handle(self, *args, now=False, **options):
        if now:
            summary = dispatch_webhooks.call()
            self.stdout.write(
                "Created {created} deliveries, re-queued {retried} due ones.".format(**summary)
            )
            return
        result = dispatch_webhooks.enqueue()
        self.stdout.write(f"Webhook dispatch enqueued (task {result.id}).")
