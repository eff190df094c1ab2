"""Mail to an e-mail reporter goes into their own thread, so their reply finds the case."""

from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from tanggap.cases.choices import EventKind
from tanggap.intake.tests.factories import submit_report
from tanggap.integrations.email_ingest.models import MailStatus
from tanggap.integrations.email_ingest.outgoing import NOT_READ
from tanggap.integrations.email_ingest.services import mail_ingest
from tanggap.integrations.email_ingest.threads import notification_of
from tanggap.notifications.models import NotificationChannel
from tanggap.notifications.services import notification_queue

from .conftest import eml

ORIGINAL_ID = "<20261116081355.4411@mail.example.net>"


def _ingest_and_send(mailbox, raw, capture):
    with capture(execute=True):
        return mail_ingest(mailbox=mailbox, raw=raw, source="imap")


def test_the_receipt_of_an_email_report_answers_the_citizens_mail(
    mailbox, django_capture_on_commit_callbacks
):
    # given a report that came by e-mail
    # when its receipt is delivered
    report = _ingest_and_send(mailbox, eml("plain_utf8.eml"), django_capture_on_commit_callbacks)
    report = report.report
    # then the receipt is a reply in the citizen's thread, from the unit's mailbox
    [sent] = mail.outbox
    assert sent.to == ["rina.wulandari@example.net"]
    assert sent.reply_to == ["pengaduan@spkt.contoh.go.id"]
    headers = sent.message()
    assert headers["In-Reply-To"] == ORIGINAL_ID
    assert headers["References"] == ORIGINAL_ID
    assert headers["Auto-Submitted"] == "auto-generated"
    assert headers["X-Loop"] == "pengaduan@spkt.contoh.go.id"
    assert report.tracking_code in headers["Subject"]
    # and its Message-ID is ours, stable and traceable to the notification
    message_id = headers["Message-ID"].strip("<>")
    assert message_id.endswith("@spkt.contoh.go.id")
    assert notification_of(message_id) is not None
    # and it invites a reply instead of saying replies are not read
    with translation.override("id"):
        assert gettext(NOT_READ) not in sent.body
        assert gettext("You can reply to this e-mail to add information to your report.") in (
            sent.body
        )
        # and it never points to a PIN the citizen was never shown
        assert gettext("Every update on your report comes to this e-mail address.") in sent.body
        assert "PIN" not in sent.body


def test_a_web_reports_receipt_is_sent_as_before(spkt, mailbox, django_capture_on_commit_callbacks):
    # given a report from the web form with an e-mail address
    with django_capture_on_commit_callbacks(execute=True):
        submit_report(spkt, email="budi@example.com")
    # then its receipt is a plain automatic message, not threaded
    [sent] = mail.outbox
    headers = sent.message()
    assert headers["In-Reply-To"] is None and sent.reply_to == []
    assert headers["Auto-Submitted"] == "auto-generated"
    assert "PIN" in sent.body  # a web reporter was shown a PIN with the receipt


def test_the_citizens_reply_to_the_receipt_joins_the_case(
    mailbox, django_capture_on_commit_callbacks
):
    # given an e-mail report and the receipt the citizen got
    report = _ingest_and_send(
        mailbox, eml("plain_utf8.eml"), django_capture_on_commit_callbacks
    ).report
    receipt_id = mail.outbox[0].message()["Message-ID"].strip("<>")
    # when the citizen answers it (no code in the subject)
    raw = eml("reply_thread.eml", code="", in_reply_to=receipt_id)
    outcome = _ingest_and_send(mailbox, raw, django_capture_on_commit_callbacks)
    # then the answer joins the case
    assert (outcome.status, outcome.report) == (MailStatus.JOINED, report)
    assert report.case.events.filter(kind=EventKind.INFORMATION_ADDED).count() == 1


def test_our_own_mail_coming_back_is_ignored(mailbox, django_capture_on_commit_callbacks):
    # given the receipt we sent for an e-mail report
    _ingest_and_send(mailbox, eml("plain_utf8.eml"), django_capture_on_commit_callbacks)
    ours = mail.outbox[0].message().as_bytes()
    # when it lands in the mailbox (a forward rule, a misconfigured alias)
    outcome = _ingest_and_send(mailbox, ours, django_capture_on_commit_callbacks)
    # then it is ignored and sends nothing back
    assert outcome.status == MailStatus.IGNORED
    assert len(mail.outbox) == 1


def test_a_staff_alert_about_an_email_report_is_not_threaded(
    mailbox, officer, django_capture_on_commit_callbacks
):
    # given an e-mail report
    report = _ingest_and_send(
        mailbox, eml("plain_utf8.eml"), django_capture_on_commit_callbacks
    ).report
    # when an officer is alerted about its case
    with django_capture_on_commit_callbacks(execute=True):
        notification_queue(
            channel=NotificationChannel.EMAIL,
            recipient="petugas@spkt.contoh.go.id",
            template="staff_alert",
            reference=report.tracking_code,
            context={"case": report.case, "user": officer},
        )
    # then the alert is a plain message: no Reply-To the mailbox, not in the citizen's thread
    alert = mail.outbox[-1]
    assert alert.to == ["petugas@spkt.contoh.go.id"]
    assert alert.reply_to == [] and alert.message()["In-Reply-To"] is None
