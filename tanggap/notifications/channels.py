"""Delivery channels: each turns a notification into a message on its medium.

A channel is any object with ``send(*, recipient, subject, body, notification)``. Apps above
this one (the SMS and WhatsApp gateways, the threaded e-mail of the inbound mailbox) register
theirs in their ``AppConfig.ready`` with ``channel_register``.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage

from .gateways import (
    WHATSAPP_OUTSIDE_WINDOW,
    GatewayError,
    phone_digits,
    sms_gateway,
    whatsapp_gateway,
)

# Called after a gateway took a message: (notification, provider message id, "text"/"template").
SentHook = Callable[[object, str, str], None]


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


class SmsChannel:
    """Send the notification's body as one SMS through the configured gateway."""

    def __init__(self, *, on_sent: SentHook | None = None):
        self.on_sent = on_sent

    def send(self, *, recipient: str, subject: str, body: str, notification=None) -> None:
        message_id = sms_gateway().send_text(to=phone_digits(recipient), text=body)
        if self.on_sent and notification is not None:
            self.on_sent(notification, message_id, "text")


class WhatsAppChannel:
    """Send by WhatsApp: a text inside the 24-hour window, the approved template outside it.

    WhatsApp lets a business write freely only within 24 hours of the customer's last message;
    *window_open(phone)* says whether that is so (the inbound webhook app knows), and
    *sender_for(notification, phone)* picks the business number to write from ("" for the
    configured one). Without them every message is the template, which is always allowed.
    """

    def __init__(
        self,
        *,
        window_open: Callable[[str], bool] | None = None,
        sender_for: Callable[[object, str], str] | None = None,
        on_sent: SentHook | None = None,
    ):
        self.window_open, self.sender_for, self.on_sent = window_open, sender_for, on_sent

    def send(self, *, recipient: str, subject: str, body: str, notification=None) -> None:
        phone = phone_digits(recipient)
        gateway = whatsapp_gateway()
        sender = self.sender_for(notification, phone) if self.sender_for else ""
        message_id, kind = "", "template"
        if self.window_open and self.window_open(phone):
            try:
                message_id, kind = gateway.send_text(to=phone, text=body, sender=sender), "text"
            except GatewayError as exc:
                # Our clock and WhatsApp's may disagree at the window's edge: then the template.
                if exc.code != WHATSAPP_OUTSIDE_WINDOW:
                    raise
        if not message_id:
            message_id = gateway.send_template(
                to=phone,
                name=getattr(settings, "TANGGAP_WHATSAPP_TEMPLATE", "tanggap_update"),
                language=getattr(settings, "TANGGAP_WHATSAPP_TEMPLATE_LANGUAGE", "id"),
                # A template parameter may not hold line breaks or long runs of spaces.
                parameters=[" ".join(subject.split())[:1000]],
                sender=sender,
            )
        if self.on_sent and notification is not None:
            self.on_sent(notification, message_id, kind)


CHANNELS = {"email": EmailChannel(), "sms": SmsChannel(), "whatsapp": WhatsAppChannel()}


def channel_register(name: str, channel) -> None:
    """Make *channel* deliver the outbox rows of channel *name* (replacing any earlier one)."""
    CHANNELS[name] = channel
