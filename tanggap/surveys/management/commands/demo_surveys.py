"""Load demo SKM periods and responses for the demo units (development databases only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tanggap.accounts.models import Counter
from tanggap.surveys import demo


class Command(BaseCommand):
    help = "Open a semester survey for the demo units with varied responses. Run demo_data first."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Load even though DEBUG is off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: demo surveys never go to a production database.")
        if not demo.surveys_demo_exists():
            try:
                created = demo.surveys_demo_load()
            except Exception as exc:
                raise CommandError(f"Load demo_data first ({exc}).") from exc
            self.stdout.write(self.style.SUCCESS(f"Loaded {created} demo survey responses."))
        base = settings.SITE_URL.rstrip("/")
        self.stdout.write("Satisfaction survey (SKM)")
        for counter in Counter.objects.filter(code__startswith="dpmptsp-kota-contoh-disabilitas"):
            self.stdout.write(f"  Kiosk at {counter.name:<26} {base}/skm/kiosk/{counter.code}/")
            self.stdout.write(f"  On a citizen's phone        {base}/skm/loket/{counter.code}/")
        self.stdout.write(f"  Results (surveyor, admin)   {base}/petugas/skm/")
