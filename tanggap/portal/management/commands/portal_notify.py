"""Enqueue the followers' updates (cron runs this every 5 minutes; the worker does the work)."""

from django.core.management.base import BaseCommand

from tanggap.portal.tasks import notify_followers


class Command(BaseCommand):
    help = (
        "Enqueue the e-mails to citizens who follow published cases whose status changed or "
        "that got a reply. With --now it runs here and prints what it did."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Run here, not in the worker.")

    def handle(self, *args, now=False, **options):
        if now:
            summary = notify_followers.call()
            self.stdout.write(
                "{publications} publications, {emails} e-mails queued, {failed} failed.".format(
                    **summary
                )
            )
            return
        result = notify_followers.enqueue()
        self.stdout.write(f"Follower updates enqueued (task {result.id}).")
