"""Enqueue a poll of every active IMAP mailbox (cron runs this every 2 minutes)."""

from django.core.management.base import BaseCommand

from tanggap.integrations.email_ingest.selectors import mailboxes_to_poll
from tanggap.integrations.email_ingest.tasks import poll_mailbox


class Command(BaseCommand):
    help = (
        "Enqueue one poll task per active IMAP mailbox: new mail becomes reports, replies join "
        "their case. With --now the polls run here and print what they did."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Poll in this process, not the worker."
        )

    def handle(self, *args, now=False, **options):
        for mailbox_id, address in mailboxes_to_poll():
            if now:
                summary = poll_mailbox.call(mailbox_id)
                self.stdout.write(
                    "{address}: {created} new, {joined} replies, {ignored} ignored, {held} held, "
                    "{failed} failed {error}".format(address=address, **summary).rstrip()
                )
            else:
                result = poll_mailbox.enqueue(mailbox_id)
                self.stdout.write(f"{address}: poll enqueued (task {result.id}).")
