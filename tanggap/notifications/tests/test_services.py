"""The outbox: sent after commit and once, failures retried with backoff, then given up."""

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection, connections, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tanggap.intake.tests.factories import submit_report
from tanggap.notifications.channels import CHANNELS
from tanggap.notifications.models import Notification, NotificationChannel, NotificationStatus
from tanggap.notifications.services import (
    MAX_ATTEMPTS,
    notification_deliver,
    notification_queue,
    notifications_redeliver,
    retry_delay,
)

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
    notification_deliver(notification_id=notification.pk)  # the retry is not due yet
    assert mail.outbox == []
    with time_machine.travel(notification.next_attempt_at):
        notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT and len(mail.outbox) == 1


class Broken:
    """A mail backend whose relay is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionError("relay down")


def queue(recipient="siti@example.com", key=None, **fields):
    """Queue a plain message the way a service does, inside its own transaction."""
    with transaction.atomic():
        return notification_queue(
            channel=NotificationChannel.EMAIL,
            recipient=recipient,
            template="staff_alert_test",
            context={"subject": "Tes", "body": "Isi pesan"},
            key=key,
            **fields,
        )


@pytest.fixture
def relay_down(settings):
    settings.MAILERS = {"default": {"BACKEND": "tanggap.notifications.tests.test_services.Broken"}}
    return settings


@pytest.fixture
def plain_template(settings, tmp_path):
    (tmp_path / "notifications").mkdir()
    (tmp_path / "notifications" / "staff_alert_test.txt").write_text("{{ subject }}\n{{ body }}\n")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]


def test_the_backoff_waits_1_5_25_and_125_minutes():
    assert [retry_delay(n) for n in (1, 2, 3, 4)] == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=25),
        timedelta(minutes=125),
    ]


def test_failed_deliveries_back_off_and_fail_for_good_after_five_attempts(
    db, plain_template, relay_down
):
    # given a message queued while the relay is down
    start = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        notification = queue()

    # when delivery is tried at each planned time, and once too early in between
    planned, now = [], start
    for _attempt in range(MAX_ATTEMPTS):
        with time_machine.travel(now, tick=False):
            notification_deliver(notification_id=notification.pk)
        notification.refresh_from_db()
        planned.append(notification.next_attempt_at)
        if notification.next_attempt_at:
            with time_machine.travel(notification.next_attempt_at - timedelta(seconds=1)):
                notification_deliver(notification_id=notification.pk)
            now = notification.next_attempt_at

    # then the waits were 1, 5, 25 and 125 minutes, the early tries cost nothing, and the
    # fifth failure marked the row failed with the transport's error
    minutes = [1, 6, 31, 156]
    assert planned == [start + timedelta(minutes=m) for m in minutes] + [None]
    assert (notification.status, notification.attempts) == (NotificationStatus.FAILED, 5)
    assert notification.last_error == "ConnectionError: relay down"


def test_a_failed_notification_is_never_sent(db, plain_template, relay_down):
    # given a message that failed five times
    notification = queue()
    for minutes in (0, 1, 6, 31, 156):
        with time_machine.travel(timezone.now() + timedelta(minutes=minutes + 1)):
            notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED

    # when the relay is back and delivery runs again, directly or from the sweep
    relay_down.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        notification_deliver(notification_id=notification.pk)
        assert notifications_redeliver() == 0

    # then nothing is sent
    assert mail.outbox == []


def test_a_retry_is_planned_with_run_after_when_the_backend_defers(
    db, plain_template, relay_down, django_capture_on_commit_callbacks
):
    # given the database task backend, which runs tasks after a given time
    relay_down.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    notification = queue()

    # when the first delivery fails
    with django_capture_on_commit_callbacks(execute=True):
        notification_deliver(notification_id=notification.pk)

    # then a delivery task waits for the planned time
    notification.refresh_from_db()
    planned = DBTaskResult.objects.filter(task_path__endswith=".deliver_notification").get()
    assert planned.run_after == notification.next_attempt_at
    assert planned.args_kwargs["args"] == [notification.pk]


def test_the_sweep_takes_up_stuck_and_due_messages(db, plain_template, relay_down):
    # given a message whose task never ran, and one whose first delivery failed
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        stuck = queue("a@example.com")
        retried = queue("b@example.com")
        notification_deliver(notification_id=retried.pk)
    relay_down.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

    # when the sweep looks 5 minutes later, then 11 minutes later
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        first = notifications_redeliver()
    with time_machine.travel(start + timedelta(minutes=11), tick=False):
        second = notifications_redeliver()

    # then the retry went when due (the test backend cannot defer it), the stuck one after 10
    assert (first, second) == (1, 1)
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.com", "b@example.com"]
    assert {n.status for n in Notification.objects.filter(pk__in=[stuck.pk, retried.pk])} == {
        NotificationStatus.SENT
    }


def test_a_duplicate_task_does_not_spend_a_retry(db, plain_template, relay_down):
    # given a message that failed once; its retry is due in a minute
    notification = queue()
    notification_deliver(notification_id=notification.pk)

    # when a duplicate task runs at once
    notification_deliver(notification_id=notification.pk)

    # then it did not try again
    notification.refresh_from_db()
    assert notification.attempts == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's in-memory test database cannot serve two connections that wait on a lock",
)
@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_at_once_send_one_message(plain_template, settings, monkeypatch):
    # given a queued message (its own task held back), and a relay slow to accept it
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    notification = queue()
    assert Notification.objects.get(pk=notification.pk).status == NotificationStatus.PENDING
    sending, sent = threading.Event(), []
    real = CHANNELS["email"]

    class SlowChannel:
        def send(self, **message):
            sending.set()
            time.sleep(0.5)  # the other worker meanwhile waits on the row lock
            real.send(**message)
            sent.append(message["recipient"])

    monkeypatch.setitem(CHANNELS, "email", SlowChannel())

    def worker(results):
        try:
            results.append(notification_deliver(notification_id=notification.pk))
        finally:
            connections.close_all()

    # when two workers deliver it at the same moment
    results = []
    first = threading.Thread(target=worker, args=(results,))
    first.start()
    assert sending.wait(5)
    second = threading.Thread(target=worker, args=(results,))
    second.start()
    first.join(10)
    second.join(10)

    # then it was sent once, and both saw it sent
    assert sent == ["siti@example.com"] and len(mail.outbox) == 1
    assert results == [NotificationStatus.SENT, NotificationStatus.SENT]
