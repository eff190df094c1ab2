"""Store the duplicate-detection keys of cases loaded without the services, or rebuild them all."""

from django.core.management.base import BaseCommand

from tanggap.cases.duplicates import keys_backfill


class Command(BaseCommand):
    help = (
        "Store the band keys of every case's text (cases imported in bulk have none). "
        "With --rebuild, delete all keys first: needed after insights.similarity.SCHEME changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="Delete every key first.")
        parser.add_argument("--batch", type=int, default=2000, help="Cases per transaction.")

    def handle(self, *args, rebuild=False, batch=2000, **options):
        def progress(done):
            if done % 50_000 < batch:
                self.stdout.write(f"{done} cases")

        done = keys_backfill(batch=batch, rebuild=rebuild, progress=progress)
        self.stdout.write(f"Stored the keys of {done} cases.")
