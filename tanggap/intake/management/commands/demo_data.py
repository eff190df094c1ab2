"""Load the demo organisations, accounts and reports (development databases only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from tanggap.intake import demo


class Command(BaseCommand):
    help = (
        "Load two demo organisations (a Polres and a DPMPTSP), one account per role and about "
        "36 reports, for a first look at Tanggap. Demo data only: every password is "
        f"{demo.DEMO_PASSWORD}. A second run changes nothing and prints the logins again."
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
            self.stdout.write("The demo data is already loaded; nothing was changed.")
            self._print_access()
            self.stdout.write(
                "\nThe demo tracking code and its PIN were shown on the first run only "
                "(the database keeps just a digest of the PIN)."
            )
            return
        try:
            result = demo.demo_load()
        except demo.DemoConflict as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the demo: {len(demo.ORGANISATIONS)} organisations, "
                f"{len(demo.UNITS)} units, {len(demo.USERS)} accounts, {result.reports} reports."
            )
        )
        self._print_warnings(result)
        self.stdout.write("")
        self._print_access()
        self._print_tracking(result)

    def _print_warnings(self, result):
        if not demo.can_backdate():
            self.stdout.write(
                self.style.WARNING(
                    "time-machine is not installed (pip install -e '.[dev]'), so every report "
                    "is dated now and none is past its deadline."
                )
            )
        for username in result.skipped_users:
            self.stdout.write(
                self.style.WARNING(
                    f"User {username!r} already existed and was left unchanged "
                    f"(its password is not {demo.DEMO_PASSWORD})."
                )
            )

    def _print_access(self):
        base = settings.SITE_URL.rstrip("/")
        pages = (
            ("Report form (citizens)", reverse("intake:report")),
            ("Track a report", reverse("intake:track")),
            ("Officer screens", reverse("officer:inbox")),
            ("Django admin", reverse("admin:index")),
        )
        self.stdout.write(self.style.MIGRATE_HEADING("Pages"))
        for label, path in pages:
            self.stdout.write(f"  {label:<24} {base}{path}")
        self.stdout.write(
            self.style.MIGRATE_HEADING(
                f"\nDemo logins (demo data only; password for all: {demo.DEMO_PASSWORD})"
            )
        )
        rows = demo.login_rows()
        width = max(len(username) for username, _roles in rows)
        self.stdout.write(f"  {'user name':<{width}}  roles")
        for username, roles in rows:
            self.stdout.write(f"  {username:<{width}}  {roles}")

    def _print_tracking(self, result):
        track = settings.SITE_URL.rstrip("/") + reverse("intake:track")
        self.stdout.write(self.style.MIGRATE_HEADING("\nTry tracking a report as the citizen"))
        self.stdout.write(f"  {track}")
        self.stdout.write(f"  tracking code  {result.tracking_code}")
        self.stdout.write(f"  PIN            {result.pin}")
        self.stdout.write("  (shown only now: the database keeps just a digest of the PIN)")
