"""Publish a few demo cases on the transparency portal (development databases only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tanggap.intake import demo as intake_demo
from tanggap.portal.demo import demo_portal_load


class Command(BaseCommand):
    help = (
        "Publish up to three non-confidential demo cases per demo unit, masked, on the "
        "transparency portal. Run demo_data first. A second run publishes nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (never on a production database).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off, so this may be a production database: demo publications must "
                "never reach one. Use --force on a scratch database."
            )
        if not intake_demo.demo_exists():
            raise CommandError("Load the demo data first: manage.py demo_data.")
        references = demo_portal_load()
        self.stdout.write(
            self.style.SUCCESS(f"Published {len(references)} demo cases: {', '.join(references)}")
            if references
            else "Nothing new to publish."
        )
        self.stdout.write("See them at /transparansi/.")
