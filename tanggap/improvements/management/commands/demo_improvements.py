"""Load demo improvement actions and an incident (development databases only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tanggap.improvements import demo
from tanggap.intake.demo import DemoConflict


class Command(BaseCommand):
    help = (
        "Add two published improvement actions (SKCK queue and waiting room at the Polres, "
        "accessibility at the DPMPTSP) and an incident being monitored (an OSS failure) "
        "on the demo cases. Run demo_data, demo_handling and demo_surveys first. "
        "A second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even though DEBUG is off (never on a production database).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off, so this may be a production database: demo data, with its "
                "shared password, must never reach one. Use --force on a scratch database."
            )
        if demo.demo_exists():
            self.stdout.write("The demo improvement actions are already loaded; nothing changed.")
            return
        try:
            result = demo.demo_load()
        except DemoConflict as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {result.actions} improvement actions and {result.incidents} incident, "
                f"linked to {result.linked} demo cases."
            )
        )
        if result.skipped:
            self.stdout.write(
                self.style.WARNING("Demo cases not found or closed: " + "; ".join(result.skipped))
            )
        self.stdout.write(
            "Staff: /petugas/perbaikan/ (kepala.polres, kepala.dpmptsp). "
            "Public: /transparansi/perbaikan/"
        )
