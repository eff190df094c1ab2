"""Receive a made-up SMS or WhatsApp message, as if its webhook had come (development, demos)."""

import uuid

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tanggap.common.exceptions import ApplicationError
from tanggap.integrations.webhooks.choices import MessagingChannel
from tanggap.integrations.webhooks.parsing import IncomingMessage
from tanggap.integrations.webhooks.services.inbound import inbound_receive


class Command(BaseCommand):
    help = (
        "Receive a message from a citizen on a business number (see the admin's messaging "
        "numbers) without the platform: it becomes a report or joins the sender's open case. "
        "Replies go through the configured gateway (the log one by default)."
    )

    def add_arguments(self, parser):
        parser.add_argument("text")
        parser.add_argument("--channel", choices=MessagingChannel.values, default="whatsapp")
        parser.add_argument("--to", required=True, help="The business number's identifier.")
        parser.add_argument("--sender", required=True, help="The citizen's phone number.")
        parser.add_argument("--name", default="", help="The sender's WhatsApp profile name.")

    def handle(self, *args, text, channel, to, sender, name, **options):
        message = IncomingMessage(
            number_id=to,
            sender=sender,
            external_id=f"simulated-{uuid.uuid4().hex}",
            text=text,
            sent_at=timezone.now(),
            name=name,
        )
        try:
            inbound, _created = inbound_receive(channel=channel, message=message)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{inbound.get_outcome_display()}: {inbound.report.tracking_code}")
