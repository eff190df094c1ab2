"""The outbox: a receipt e-mail after commit, sent once, failures recorded and retried."""

import pytest
from django.core import mail

from tanggap.intake.tests.factories import submit_report
from tanggap.notifications.models import Notification, NotificationStatus
from tanggap.notifications.services import notification_deliver

pytestmark = pytest.mark.django_db


def test_a_reporter_with_an_email_gets_a_receipt_after_commit(
    dpmptsp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit_report(dpmptsp, email="siti@example.com")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["siti@example.com"]
    assert submission.report.tracking_code in message.subject + message.body
    assert submission.pin not in message.body and submission.link_token not in message.body
    notification = Notification.objects.get()
    assert notification.status == NotificationStatus.SENT
    assert "siti@example.com" not in notification.recipient_enc


def test_no_email_no_message(dpmptsp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit_report(dpmptsp, email="")

    assert mail.outbox == [] and not Notification.objects.exists()


def test_delivering_twice_sends_once(dpmptsp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit_report(dpmptsp, email="siti@example.com")

    notification_deliver(notification_id=Notification.objects.get().pk)

    assert len(mail.outbox) == 1


def test_a_failed_delivery_is_recorded_then_retried(dpmptsp, settings):
    submit_report(dpmptsp, email="siti@example.com")
    notification = Notification.objects.get()
    settings.MAILERS = {"default": {"BACKEND": "tanggap.notifications.tests.test_services.Broken"}}

    notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (NotificationStatus.PENDING, 1)
    assert "relay down" in notification.last_error

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT and len(mail.outbox) == 1


class Broken:
    """A mail backend whose relay is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionError("relay down")
