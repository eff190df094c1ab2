"""Enqueue the rollup refresh (cron runs this every 10 minutes; the worker does the work)."""

from django.core.management.base import BaseCommand

from tanggap.analytics.tasks import analytics_rollup


class Command(BaseCommand):
    help = (
        "Enqueue the refresh of the dashboards' daily rollups from the case events since the "
        "last run. --rebuild recomputes every rollup; --now runs here and prints what it did."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Run here, not in the worker.")
        parser.add_argument("--rebuild", action="store_true", help="Recompute every rollup.")

    def handle(self, *args, now=False, rebuild=False, **options):
        if now:
            summary = analytics_rollup.call(rebuild=rebuild)
            self.stdout.write(
                "Rollups: {rows} rows written, cursor at event {cursor}.".format(**summary)
            )
            return
        result = analytics_rollup.enqueue(rebuild=rebuild)
        self.stdout.write(f"Rollup enqueued (task {result.id}).")
