"""The IMAP poller against a real IMAP conversation with the test server on 127.0.0.1."""

from django.core.management import call_command
from django.db import connection

from tanggap.intake.models import Report
from tanggap.integrations.email_ingest.imap import mailbox_poll
from tanggap.integrations.email_ingest.models import InboundMail, MailStatus
from tanggap.integrations.email_ingest.parsing import MAX_MAIL_BYTES

from .conftest import eml

SEEN, FLAGGED = r"\Seen", r"\Flagged"


def test_unseen_mail_becomes_reports_and_is_flagged_seen_afterwards(imap_mailbox, imap_server):
    # given an inbox with a complaint, an auto-reply, an unreadable mail and an old read mail
    state = imap_server.state
    complaint = state.deliver(eml("plain_utf8.eml"))
    auto = state.deliver(eml("auto_replied.eml"))
    broken = state.deliver(eml("no_sender.eml"))
    old = state.deliver(eml("html_only.eml"), SEEN)
    # when the mailbox is polled
    summary = mailbox_poll(imap_mailbox)
    # then the complaint is a report, the auto-reply ignored, the unreadable one held
    assert (summary.created, summary.ignored, summary.held, summary.failed) == (1, 1, 1, 0)
    assert Report.objects.get().title == "Antrian SKCK tidak tertib"
    assert InboundMail.objects.get(status=MailStatus.HELD).reason == "sender"
    # and each processed mail is flagged seen; the held one also flagged for a person
    assert complaint.flags == {SEEN} and auto.flags == {SEEN}
    assert broken.flags == {SEEN, FLAGGED}
    # and the mail already read is left alone, and nothing is deleted
    assert old.flags == {SEEN} and len(state.mails) == 4
    assert not any(line.startswith(("EXPUNGE", "CLOSE")) for line in state.log)
    imap_mailbox.refresh_from_db()
    assert imap_mailbox.last_polled_at is not None and imap_mailbox.last_error == ""


def test_mails_are_read_without_marking_them_and_flagged_only_after_processing(
    imap_mailbox, imap_server
):
    # given one new mail
    imap_server.state.deliver(eml("plain_utf8.eml"))
    # when the mailbox is polled
    mailbox_poll(imap_mailbox)
    # then the body was fetched with PEEK, and the flag stored after it
    log = imap_server.state.log
    fetch = next(i for i, line in enumerate(log) if "BODY.PEEK[]" in line)
    store = next(i for i, line in enumerate(log) if line.startswith("UID STORE"))
    assert fetch < store
    assert not any("BODY[]" in line for line in log)
    assert log[-1] == "LOGOUT"


def test_a_second_poll_finds_nothing_new(imap_mailbox, imap_server):
    # given a polled mailbox
    imap_server.state.deliver(eml("plain_utf8.eml"))
    mailbox_poll(imap_mailbox)
    # when it is polled again
    summary = mailbox_poll(imap_mailbox)
    # then nothing is fetched or created twice
    assert summary.fetched == 0 and Report.objects.count() == 1


def test_a_mail_marked_unread_again_creates_nothing_twice(imap_mailbox, imap_server):
    # given a processed mail that a person marked unread in their mail program
    mail = imap_server.state.deliver(eml("plain_utf8.eml"))
    mailbox_poll(imap_mailbox)
    mail.flags.clear()
    # when the mailbox is polled again
    summary = mailbox_poll(imap_mailbox)
    # then it is recognised and only flagged seen again
    assert summary.fetched == 1 and Report.objects.count() == 1
    assert mail.flags == {SEEN}


def test_a_mail_that_failed_on_the_database_stays_unseen(imap_mailbox, imap_server):
    # given a new mail, and a database that cannot store reports right now
    mail = imap_server.state.deliver(eml("plain_utf8.eml"))
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE intake_report RENAME TO intake_report_away")
    # when the mailbox is polled
    summary = mailbox_poll(imap_mailbox)
    # then the failure is counted and the mail stays unseen for the next poll
    assert summary.failed == 1 and summary.created == 0
    assert mail.flags == set()
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE intake_report_away RENAME TO intake_report")
    # and the next poll processes it
    assert mailbox_poll(imap_mailbox).created == 1
    assert mail.flags == {SEEN}


def test_a_mail_too_large_to_fetch_stays_in_the_mailbox_flagged(imap_mailbox, imap_server):
    # given a mail larger than any report can take
    huge = imap_server.state.deliver(eml("plain_utf8.eml") + b"x" * MAX_MAIL_BYTES)
    # when the mailbox is polled
    summary = mailbox_poll(imap_mailbox)
    # then its body is never fetched, it is flagged for a person and logged
    assert summary.held == 1 and summary.fetched == 0
    assert huge.flags == {SEEN, FLAGGED}
    assert not any("BODY" in line for line in imap_server.state.log)
    assert InboundMail.objects.get().reason == "too_large"


def test_a_wrong_password_is_recorded_and_touches_nothing(imap_mailbox, imap_server):
    # given a mailbox whose password was changed on the server
    imap_server.state.password = "sandi-baru"  # noqa: S105 - test data
    mail = imap_server.state.deliver(eml("plain_utf8.eml"))
    # when it is polled
    summary = mailbox_poll(imap_mailbox)
    # then the error is kept on the mailbox for the administrator
    assert "Invalid credentials" in summary.error
    imap_mailbox.refresh_from_db()
    assert "Invalid credentials" in imap_mailbox.last_error
    assert mail.flags == set() and not Report.objects.exists()


def test_an_unreachable_server_is_recorded(imap_mailbox, imap_server):
    # given a server that is gone
    imap_server.close()
    # when the mailbox is polled
    summary = mailbox_poll(imap_mailbox)
    # then the connection error is recorded, not raised
    assert summary.error
    imap_mailbox.refresh_from_db()
    assert imap_mailbox.last_error == summary.error


def test_the_command_polls_every_active_mailbox_through_the_task(imap_mailbox, imap_server, capsys):
    # given a new mail in the active mailbox
    imap_server.state.deliver(eml("windows_1252.eml"))
    # when the periodic command runs (tests run tasks at once)
    call_command("email_poll")
    # then the task polled the mailbox
    assert "poll enqueued" in capsys.readouterr().out
    assert Report.objects.get().title == "Biaya tidak resmi"


def test_the_command_can_poll_here_and_print(imap_mailbox, imap_server, capsys):
    imap_server.state.deliver(eml("plain_utf8.eml"))
    imap_server.state.deliver(eml("bounce_dsn.eml"))
    call_command("email_poll", "--now")
    out = capsys.readouterr().out
    assert "pengaduan@spkt.contoh.go.id: 1 new, 0 replies, 1 ignored, 0 held, 0 failed" in out


def test_an_inactive_mailbox_is_not_polled(imap_mailbox, imap_server):
    imap_mailbox.is_active = False
    imap_mailbox.save(update_fields=["is_active"])
    imap_server.state.deliver(eml("plain_utf8.eml"))
    call_command("email_poll")
    assert not Report.objects.exists() and imap_server.state.log == []
