"""Delivery channels: each turns a notification into a message on its medium."""

from django.conf import settings
from django.core.mail import EmailMessage


class EmailChannel:
    """Send plain-text e-mail through the configured mailer."""

    def send(self, *, recipient: str, subject: str, body: str) -> None:
        EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[recipient],
            headers={"Auto-Submitted": "auto-generated"},
        ).send()


CHANNELS = {"email": EmailChannel()}
