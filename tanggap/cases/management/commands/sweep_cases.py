"""Enqueue the deadline sweep (cron runs this every 5 minutes; the worker does the work)."""

from django.core.management.base import BaseCommand

from tanggap.cases.tasks import sweep_cases


class Command(BaseCommand):
    help = (
        "Enqueue the sweep: reminders and escalations of case deadlines, the reporter's "
        "expired windows, overdue shift handovers and notifications to send again. "
        "With --now it runs here and prints what it did."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Run the sweep in this process, not the worker."
        )

    def handle(self, *args, now=False, **options):
        if now:
            summary = sweep_cases.call()
            self.stdout.write(
                "Swept {cases} cases ({failed} failed), handed over {handovers} shifts, "
                "re-queued {notifications} notifications.".format(**summary)
            )
            return
        result = sweep_cases.enqueue()
        self.stdout.write(f"Sweep enqueued (task {result.id}).")
