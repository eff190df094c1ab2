"""Enqueue the training of the category and unit suggestions (cron runs this nightly)."""

from django.core.management.base import BaseCommand, CommandError

from tanggap.accounts.models import Organisation
from tanggap.cases.suggestion_tasks import train_suggestions
from tanggap.cases.suggestions import suggestions_train


class Command(BaseCommand):
    help = (
        "Enqueue the training of each organisation's category and unit suggestions from its "
        "handled cases (one task per organisation). With --now it trains here and prints "
        "each model's figures."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", metavar="SLUG", help="Only this organisation.")
        parser.add_argument(
            "--now", action="store_true", help="Train in this process, not the worker."
        )

    def handle(self, *args, organisation=None, now=False, **options):
        organisations = Organisation.objects.order_by("slug")
        if organisation:
            organisations = organisations.filter(slug=organisation)
            if not organisations.exists():
                raise CommandError(f"No organisation with the short name {organisation!r}.")
        for org in organisations:
            if not now:
                result = train_suggestions.enqueue(org.pk)
                self.stdout.write(f"{org.slug}: training enqueued (task {result.id}).")
                continue
            for row in suggestions_train(organisation=org):
                self.stdout.write(self._line(org, row))

    @staticmethod
    def _line(org, row) -> str:
        head = f"{org.slug} {row.target}: {row.status}, {row.training_size} handled reports"
        if not row.metrics:
            return f"{head} ({row.detail})" if row.detail else head
        m = row.metrics
        return (
            f"{head}, {len(row.labels)} choices, {row.training_seconds} s; held out "
            f"{m['holdout_size']}: macro-F1 {m['macro_f1']:.3f}, accuracy {m['accuracy']:.3f}, "
            f"top-3 {m['top3_accuracy']:.3f} (most common {m['majority_accuracy']:.3f}), "
            f"shown at {m['floor']:.2f}: {m['coverage']:.0%}"
        )
