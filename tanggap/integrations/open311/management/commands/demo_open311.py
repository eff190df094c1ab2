"""Load the demo Open311 services, the demo key and a few requests (development databases only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from tanggap.integrations.open311 import demo


class Command(BaseCommand):
    help = (
        "Create Open311 services for the demo units of demo_data, the api_key "
        f"{demo.DEMO_KEY} (Polres Kota Contoh) and three requests. Demo data only; a second "
        "run changes nothing."
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
                "DEBUG is off, so this may be a production database: the demo api_key is "
                "public and must never reach one. Use --force on a scratch database."
            )
        if demo.demo_exists():
            self.stdout.write("The demo Open311 services are already loaded; nothing was changed.")
        else:
            try:
                result = demo.demo_load()
            except demo.DemoMissing:
                raise CommandError("The demo units are missing: run demo_data first.") from None
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {result.services} Open311 services and {result.requests} requests."
                )
            )
        base = settings.SITE_URL.rstrip("/")
        self.stdout.write(
            f"  discovery  {base}{reverse('open311:discovery', kwargs={'fmt': 'json'})}"
        )
        self.stdout.write(
            f"  services   {base}{reverse('open311:services', kwargs={'fmt': 'xml'})}"
        )
        self.stdout.write(f"  api_key    {demo.DEMO_KEY} (demo data only; Polres Kota Contoh)")
