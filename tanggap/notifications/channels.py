"""Delivery channels: each turns a notification into a message on its medium.

A channel is any object with ``send(*, recipient, subject, body, notification)``. Apps above
this one (the SMS and WhatsApp gateways, the threaded e-mail of the inbound mailbox) register
theirs in their ``AppConfig.ready`` with ``channel_register``.
"""

from django.conf import settings
from django.core.mail import EmailMessage


class EmailChannel:
    """Send plain-text e-mail through the configured mailer."""

    def send(self, *, recipient: str, subject: str, body: str, notification=None) -> None:
        EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[recipient],
            headers={"Auto-Submitted": "auto-generated"},
        ).send()


CHANNELS = {"email": EmailChannel()}


def channel_register(name: str, channel) -> None:
    """Make *channel* deliver the outbox rows of channel *name* (replacing any earlier one)."""
    CHANNELS[name] = channel
