"""A mail becomes a report, a reply joins its case, machines are ignored, the rest is held."""

from email.message import EmailMessage

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tanggap.cases.choices import Channel, EventKind, ReportKind
from tanggap.common.crypto import decrypt_text
from tanggap.common.exceptions import ApplicationError
from tanggap.intake.models import Report
from tanggap.intake.services import contact_digest
from tanggap.integrations.email_ingest.models import InboundMail, MailStatus
from tanggap.integrations.email_ingest.services import (
    MAX_DESCRIPTION,
    mail_ingest,
    mail_reprocess,
    stored_raw,
)
from tanggap.integrations.email_ingest.threads import outgoing_message_id
from tanggap.notifications.models import Notification

from .conftest import eml

ORIGINAL_ID = "20261116081355.4411@mail.example.net"


def ingest(mailbox, raw, source="imap"):
    return mail_ingest(mailbox=mailbox, raw=raw, source=source)


def build_mail(*, sender="Warga <warga@example.net>", subject="Keluhan", text="Isi", files=()):
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "pengaduan@spkt.contoh.go.id", subject
    msg["Message-ID"] = f"<{abs(hash((sender, subject, text)))}@example.net>"
    msg.set_content(text)
    for name, data in files:
        msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return msg.as_bytes()


def test_a_new_mail_becomes_an_email_report_of_the_mailboxs_unit(mailbox):
    # given the SPKT's mailbox
    # when a citizen's plain mail arrives
    outcome = ingest(mailbox, eml("plain_utf8.eml"))
    # then it is a complaint by e-mail, titled by the subject, from the sender
    assert outcome.status == MailStatus.CREATED
    report = outcome.report
    assert report.unit == mailbox.unit and report.channel == Channel.EMAIL
    assert report.kind == ReportKind.COMPLAINT
    assert report.title == "Antrian SKCK tidak tertib"
    assert report.description.startswith("Selamat pagi Bapak/Ibu,")
    assert "dilayani tanpa\nnomor antrian" in report.description
    assert decrypt_text(report.reporter.name_enc) == "Rina Wulandari"
    assert report.reporter.email_digest == contact_digest("email", "rina.wulandari@example.net")
    assert report.external_source == "email"
    assert ORIGINAL_ID in report.external_ref
    # and the log keeps no copy of a mail that became a report
    logged = InboundMail.objects.get(message_id=ORIGINAL_ID)
    assert logged.report == report and logged.raw_enc == ""


def test_the_same_mail_twice_makes_one_report(mailbox):
    # given a mail already processed
    first = ingest(mailbox, eml("plain_utf8.eml"))
    # when it is polled (or posted) again
    again = ingest(mailbox, eml("plain_utf8.eml"), source="webhook")
    # then nothing new is created
    assert again.duplicate and again.report == first.report
    assert Report.objects.count() == 1 and InboundMail.objects.count() == 1


def test_a_mail_copied_to_two_units_is_a_report_to_each(mailbox, other_mailbox):
    # given one mail sent to two units' mailboxes
    # when both mailboxes receive it
    one = ingest(mailbox, eml("plain_utf8.eml"))
    two = ingest(other_mailbox, eml("plain_utf8.eml"))
    # then each unit has its own report
    assert one.report.unit == mailbox.unit and two.report.unit == other_mailbox.unit


@pytest.mark.parametrize(
    ("fixture", "title", "phrases"),
    [
        (
            "iso_8859_1.eml",
            "Pelayanan di loket informasi",
            ["“tidak tahu”", "café di seberang", "35°C"],
        ),
        ("windows_1252.eml", "Biaya tidak resmi", ["€ 20 – atau", "“mempercepat”", "kuitansi…"]),
        (
            "encoded_subject.eml",
            "Petugas tidak ramah — café ruang tunggu",
            ["membentak warga", "— Dewi"],
        ),
    ],
)
def test_text_in_other_charsets_arrives_readable(mailbox, fixture, title, phrases):
    # given a mail in iso-8859-1, windows-1252 or with encoded words
    # when it is ingested
    report = ingest(mailbox, eml(fixture)).report
    # then title and text are the characters the citizen wrote
    assert report.title == title
    for phrase in phrases:
        assert phrase in report.description
    assert "\ufffd" not in report.description


def test_the_senders_encoded_name_is_decoded(mailbox):
    report = ingest(mailbox, eml("encoded_subject.eml")).report
    assert decrypt_text(report.reporter.name_enc) == "Déwi Kusumawardhani"


def test_an_html_only_mail_keeps_its_text_and_drops_scripts_and_markup(mailbox):
    # given a mail with only an HTML part holding a script and a style
    # when it is ingested
    report = ingest(mailbox, eml("html_only.eml")).report
    # then the report holds the readable text only
    text = report.description
    assert "Lampu jalan di depan kantor sudah mati sejak seminggu & jalan sangat gelap." in text
    assert "Lokasi: Jl. Merdeka No. 5" in text and "10 November" in text
    for markup in ("<", "alert", "color: red", "tracker.example.org", "Pesan"):
        assert markup not in text


def test_good_attachments_are_kept_and_hostile_ones_listed_on_the_case(mailbox):
    # given a multipart mail with a photo, a PDF carrying JavaScript and a program
    # when it is ingested
    outcome = ingest(mailbox, eml("multipart_attachments.eml"))
    # then the report exists with the photo only, cleaned like an upload
    report = outcome.report
    assert report.title == "Foto kerusakan pagar kantor"
    assert [(a.name, a.content_type) for a in report.attachments.all()] == [
        ("pagar.jpg", "image/jpeg")
    ]
    # and the handlers see, privately, which files were not kept and why
    note = report.case.events.get(kind=EventKind.NOTE)
    assert not note.is_public
    assert "formulir.pdf" in note.message and "foto2.jpg.exe" in note.message
    logged = InboundMail.objects.get(report=report)
    assert {item["name"] for item in logged.skipped_files} == {"formulir.pdf", "foto2.jpg.exe"}


def test_an_oversized_attachment_is_refused_and_the_report_kept(mailbox):
    # given a mail with an 11 MB "photo"
    big = b"\xff\xd8\xff" + b"\0" * (11 * 1024 * 1024)
    raw = build_mail(text="Foto terlalu besar terlampir.", files=[("besar.jpg", big)])
    # when it is ingested
    report = ingest(mailbox, raw).report
    # then the text is a report and the file is listed as not kept
    assert report.description == "Foto terlalu besar terlampir."
    assert not report.attachments.exists()
    assert "besar.jpg" in report.case.events.get(kind=EventKind.NOTE).message


def test_a_mail_with_broken_mime_is_read_as_far_as_it_goes(mailbox):
    # given a mail with an unknown charset, an unclosed boundary and bad base64
    # when it is ingested
    outcome = ingest(mailbox, eml("broken_mime.eml"))
    # then its text becomes a report and the unreadable photo is listed as not kept
    assert outcome.status == MailStatus.CREATED
    assert outcome.report.title == "Parkir liar di depan kantor"
    assert "parkir liar di depan kantor, petugas diam saja" in outcome.report.description
    assert "parkir.jpg" in outcome.report.case.events.get(kind=EventKind.NOTE).message


@pytest.mark.parametrize(
    ("fixture", "reason"),
    [
        ("auto_replied.eml", "auto_submitted"),
        ("vacation.eml", "precedence"),
        ("bounce_dsn.eml", "auto_submitted"),
    ],
)
def test_auto_replies_and_bounces_are_ignored(mailbox, fixture, reason):
    # given an out-of-office reply, a vacation notice or a delivery failure
    # when it arrives
    outcome = ingest(mailbox, eml(fixture))
    # then it is logged as ignored and nothing else happens
    assert (outcome.status, outcome.reason) == (MailStatus.IGNORED, reason)
    assert not Report.objects.exists() and not Notification.objects.exists()


def test_mail_from_our_own_address_is_ignored(mailbox):
    # given a mail that claims to come from the unit's own mailbox (a loop)
    raw = eml("plain_utf8.eml").replace(
        b"From: Rina Wulandari <rina.wulandari@example.net>",
        b"From: SPKT <Pengaduan@spkt.contoh.go.id>",
    )
    # when it arrives
    outcome = ingest(mailbox, raw)
    # then it creates nothing
    assert (outcome.status, outcome.reason) == (MailStatus.IGNORED, "own_address")
    assert not Report.objects.exists()


def _receipt_message_id(report) -> str:
    receipt = Notification.objects.get(key=f"receipt:{report.pk}")
    return outgoing_message_id(receipt.pk, "spkt.contoh.go.id")


def test_a_reply_joins_the_senders_case_without_the_quoted_text(mailbox):
    # given a report that came by e-mail and its receipt
    report = ingest(mailbox, eml("plain_utf8.eml")).report
    raw = eml(
        "reply_thread.eml", code=report.tracking_code, in_reply_to=_receipt_message_id(report)
    )
    # when the citizen replies to the receipt with a photo
    outcome = ingest(mailbox, raw)
    # then the reply is added to that case, not a new report
    assert (outcome.status, outcome.report) == (MailStatus.JOINED, report)
    assert Report.objects.count() == 1
    event = report.case.events.get(kind=EventKind.INFORMATION_ADDED)
    assert event.message.startswith("Tambahan: pagi ini antrian kembali tidak tertib.")
    assert "menulis:" not in event.message and "Kode pelacakan" not in event.message
    assert [(a.name, a.added_later) for a in report.attachments.all()] == [("papan.png", True)]


def test_a_reply_threads_by_its_headers_alone(mailbox):
    # given an e-mail report
    report = ingest(mailbox, eml("plain_utf8.eml")).report
    # when the citizen answers their own mail, with no code in the subject
    raw = eml("reply_thread.eml", code="", in_reply_to=ORIGINAL_ID)
    outcome = ingest(mailbox, raw)
    # then it still joins the case
    assert (outcome.status, outcome.report) == (MailStatus.JOINED, report)


def test_a_stranger_quoting_a_code_gets_a_new_report(mailbox):
    # given someone's e-mail report
    report = ingest(mailbox, eml("plain_utf8.eml")).report
    # when another person writes with its code and its thread headers
    raw = eml("reply_thread.eml", code=report.tracking_code, in_reply_to=ORIGINAL_ID).replace(
        b"Rina.Wulandari@example.net", b"orang.lain@example.com"
    )
    outcome = ingest(mailbox, raw)
    # then their mail is a report of its own and the first case is untouched
    assert outcome.status == MailStatus.CREATED and outcome.report != report
    assert not report.case.events.filter(kind=EventKind.INFORMATION_ADDED).exists()


def test_a_code_of_another_organisation_does_not_join_across(mailbox, other_mailbox):
    # given the citizen's report to the SPKT
    report = ingest(mailbox, eml("plain_utf8.eml")).report
    # when they write to another organisation's mailbox quoting that code
    raw = eml("reply_thread.eml", code=report.tracking_code, in_reply_to="x@example.net")
    outcome = ingest(other_mailbox, raw)
    # then the other organisation gets a new report of its own
    assert outcome.status == MailStatus.CREATED
    assert outcome.report.unit == other_mailbox.unit


def test_a_mail_without_a_sender_is_held_with_its_bytes(mailbox):
    # given a mail whose From is no address
    raw = eml("no_sender.eml")
    # when it arrives
    outcome = ingest(mailbox, raw)
    # then nothing is created and the whole mail is kept for a person
    assert (outcome.status, outcome.reason) == (MailStatus.HELD, "sender")
    assert not Report.objects.exists()
    held = InboundMail.objects.get(status=MailStatus.HELD)
    assert stored_raw(held) == raw


def test_a_mail_with_no_text_and_no_file_is_held(mailbox):
    outcome = ingest(mailbox, build_mail(subject="", text="   "))
    assert (outcome.status, outcome.reason) == (MailStatus.HELD, "empty")
    assert not Report.objects.exists()


def test_a_very_long_mail_is_cut_and_kept_whole(mailbox):
    # given a mail longer than a report's description
    text = "Antrian panjang sekali. " * 400
    raw = build_mail(text=text)
    # when it is ingested
    report = ingest(mailbox, raw).report
    # then the report holds the start, the case says so, and the whole mail is kept
    assert len(report.description) == MAX_DESCRIPTION
    assert str(MAX_DESCRIPTION) in report.case.events.get(kind=EventKind.NOTE).message
    assert stored_raw(InboundMail.objects.get(report=report)) == raw


def test_a_sender_over_the_hourly_limit_is_held_then_processed_again(mailbox, settings):
    # given a limit of two mails per sender and hour
    settings.EMAIL_INGEST_PER_SENDER_PER_HOUR = 2
    for n in range(2):
        assert ingest(mailbox, build_mail(text=f"Pesan {n}")).status == MailStatus.CREATED
    # when a third mail comes by IMAP, and a fourth by the webhook
    third = ingest(mailbox, build_mail(text="Pesan 3"))
    fourth = ingest(mailbox, build_mail(text="Pesan 4"), source="webhook")
    # then the IMAP one is kept for a person and the webhook one is left with its sender
    assert third.status == MailStatus.THROTTLED and fourth.status == MailStatus.THROTTLED
    assert Report.objects.count() == 2
    held = InboundMail.objects.get(status=MailStatus.THROTTLED)
    assert b"Pesan 3" in stored_raw(held)
    # and once the limit is lifted an administrator's retry makes it a report
    settings.EMAIL_INGEST_PER_SENDER_PER_HOUR = 100
    from tanggap.common.throttle import throttle_reset  # noqa: PLC0415

    throttle_reset(key=f"email_ingest:{mailbox.pk}:{contact_digest('email', 'warga@example.net')}")
    assert mail_reprocess(mail=held).status == MailStatus.CREATED
    held.refresh_from_db()
    assert held.status == MailStatus.CREATED and held.raw_enc == ""


def test_only_held_mail_is_processed_again(mailbox):
    ingest(mailbox, eml("plain_utf8.eml"))
    with pytest.raises(ApplicationError) as caught:
        mail_reprocess(mail=InboundMail.objects.get())
    assert caught.value.code == "not_held"


def test_the_note_on_refused_files_is_in_the_language_of_the_unit(mailbox):
    # given an Indonesian unit
    raw = build_mail(text="Lihat lampiran.", files=[("x.exe", b"MZ\x90\x00")])
    # when a refused file is listed
    report = ingest(mailbox, raw).report
    # then the note uses the translated heading
    with translation.override("id"):
        heading = gettext("Attachments of the e-mail that were not kept:")
    assert report.case.events.get(kind=EventKind.NOTE).message.startswith(heading)


def test_a_hostile_mail_is_held_and_stops_nothing(mailbox):
    # given a mail with thousands of MIME parts
    head = b'From: a@b.id\nSubject: x\nContent-Type: multipart/mixed; boundary="b0"\n\n'
    raw = head + b"--b0\nContent-Type: image/png\n\nxx\n" * 5000 + b"--b0--\n"
    # when it arrives
    outcome = ingest(mailbox, raw)
    # then it is held for a person, whole, and no report is made
    assert (outcome.status, outcome.reason) == (MailStatus.HELD, "too_many_parts")
    assert stored_raw(InboundMail.objects.get()) == raw and not Report.objects.exists()
