"""Telling people about a case: every reporter of it, and the staff who must act."""

from django.apps import apps
from django.conf import settings
from django.urls import reverse

from tanggap.common.crypto import decrypt_text
from tanggap.notifications.models import NotificationChannel
from tanggap.notifications.services import notification_queue

from .choices import Channel
from .models import Case, CaseEvent


def reporter_contact(report, reporter) -> tuple[str, str] | None:
    """Return the channel and address to tell *report*'s reporter about their case, if any.

    The channel the report came from first (a WhatsApp or SMS report is answered there), then
    e-mail; a phone alone gets SMS only where ``TANGGAP_SMS_FOR_PHONE_ONLY`` is on, since each
    message costs the unit money.
    """
    if reporter is None:
        return None
    phone = decrypt_text(reporter.phone_enc)
    if phone and report.channel == Channel.WHATSAPP:
        return NotificationChannel.WHATSAPP, phone
    if phone and report.channel == Channel.SMS:
        return NotificationChannel.SMS, phone
    if email := decrypt_text(reporter.email_enc):
        return NotificationChannel.EMAIL, email
    if phone and getattr(settings, "TANGGAP_SMS_FOR_PHONE_ONLY", False):
        return NotificationChannel.SMS, phone
    return None


def reporter_template(channel: str, name: str) -> str:
    """Return the template of message *name* for *channel*: short texts for SMS and WhatsApp."""
    return name if channel == NotificationChannel.EMAIL else f"{channel}/{name}"


def reporters_notify(*, case: Case, event: CaseEvent) -> int:
    """Queue a public update about *event* to every reporter of *case* who can be reached.

    Each reporter is told on the channel their report came from (see ``reporter_contact``).
    Written in the caller's transaction; the key makes a retried caller queue nothing new.
    """
    # By label: intake sits above cases.
    report_model = apps.get_model("intake", "Report")
    reports = report_model.objects.filter(case=case).select_related("reporter", "unit")
    queued = 0
    for report in reports:
        contact = reporter_contact(report, getattr(report, "reporter", None))
        if contact is None:
            continue
        channel, recipient = contact
        notification_queue(
            channel=channel,
            recipient=recipient,
            template=reporter_template(channel, "case_update"),
            reference=report.tracking_code,
            key=f"event:{event.pk}:report:{report.pk}",
            case=case,
            language=report.language,
            context={
                "report": report,
                "case": case,
                "event": event,
                "tracking_url": settings.SITE_URL.rstrip("/") + reverse("intake:track"),
            },
        )
        queued += 1
    return queued


def staff_notify(*, case: Case, event: CaseEvent, users, template: str = "staff_alert") -> int:
    """Queue an alert about *event* to each of *users* with an e-mail address."""
    queued = 0
    url = settings.SITE_URL.rstrip("/") + reverse("officer:case_detail", args=[case.pk])
    for user in users:
        if not user.email:
            continue
        notification_queue(
            channel=NotificationChannel.EMAIL,
            recipient=user.email,
            template=template,
            reference=case.reference,
            key=f"event:{event.pk}:user:{user.pk}",
            case=case,
            context={"case": case, "event": event, "user": user, "case_url": url},
        )
        queued += 1
    return queued
