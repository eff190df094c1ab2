"""Telling people about a case: every reporter of it, and the staff who must act."""

from django.apps import apps
from django.conf import settings
from django.urls import reverse

from tanggap.common.crypto import decrypt_text
from tanggap.notifications.models import NotificationChannel
from tanggap.notifications.services import notification_queue

from .models import Case, CaseEvent


def reporters_notify(*, case: Case, event: CaseEvent) -> int:
    """Queue a public update about *event* to every reporter of *case* who gave an e-mail.

    Written in the caller's transaction; the key makes a retried caller queue nothing new.
    """
    # By label: intake sits above cases.
    report_model = apps.get_model("intake", "Report")
    reports = report_model.objects.filter(case=case).select_related("reporter", "unit")
    queued = 0
    for report in reports:
        reporter = getattr(report, "reporter", None)
        email = decrypt_text(reporter.email_enc) if reporter else ""
        if not email:
            continue
        notification_queue(
            channel=NotificationChannel.EMAIL,
            recipient=email,
            template="case_update",
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
