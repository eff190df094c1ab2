"""Enqueue the evaluation reports whose period just ended (cron runs this daily)."""

from django.core.management.base import BaseCommand

from tanggap.analytics.services import evaluation_reports_due
from tanggap.analytics.tasks import generate_evaluation_report


class Command(BaseCommand):
    help = (
        "Enqueue a report for every unit and every period (month, quarter, semester, year) "
        "that ended within the last 31 days and has no report yet. --now generates them here."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Generate here, not in the worker.")

    def handle(self, *args, now=False, **options):
        due = evaluation_reports_due()
        for unit, period in due:
            arguments = (unit.pk, period.kind, period.start.isoformat())
            if now:
                generate_evaluation_report.call(*arguments)
            else:
                generate_evaluation_report.enqueue(*arguments)
        verb = "Generated" if now else "Enqueued"
        self.stdout.write(f"{verb} {len(due)} evaluation reports.")
