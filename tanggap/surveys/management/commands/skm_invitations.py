"""Enqueue the SKM invitations (cron runs this every 15 minutes; the worker does the work)."""

from django.core.management.base import BaseCommand

from tanggap.surveys.tasks import send_skm_invitations


class Command(BaseCommand):
    help = (
        "Enqueue the SKM invitations: each reporter with an e-mail whose case was resolved "
        "since the last run is invited once to the open survey of the case's unit or service. "
        "With --now it runs here and prints how many were invited."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Run in this process, not the worker."
        )

    def handle(self, *args, now=False, **options):
        if now:
            sent = send_skm_invitations.call()
            self.stdout.write(f"Invited {sent} reporters to the satisfaction survey.")
            return
        result = send_skm_invitations.enqueue()
        self.stdout.write(f"SKM invitations enqueued (task {result.id}).")
