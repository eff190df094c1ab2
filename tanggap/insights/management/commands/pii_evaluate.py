"""Print the personal-data detector's precision and recall on the labelled sample."""

from pathlib import Path

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Measure insights.pii on the labelled sample, against a naive regex baseline."

    def add_arguments(self, parser):
        parser.add_argument("--sample", type=Path, help="the labelled JSONL (default: the tests')")

    def handle(self, *args, **options):
        from tanggap.insights import pii_evaluation as ev  # noqa: PLC0415 - loads Sastrawi

        samples = ev.load_samples(options["sample"] or ev.SAMPLE)
        for line in ev.report(ev.evaluate(samples)):
            self.stdout.write(line)
