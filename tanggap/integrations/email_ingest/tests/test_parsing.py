"""Reading raw mail: senders, ids, threads, charsets and the parts that matter."""

from email import message_from_bytes, policy

import pytest

from tanggap.integrations.email_ingest.htmltext import html_to_text
from tanggap.integrations.email_ingest.parsing import (
    MailUnreadable,
    decode_text,
    parse_mail,
    title_from_subject,
)
from tanggap.integrations.email_ingest.quotes import strip_quoted
from tanggap.integrations.email_ingest.screening import automatic_reason

from .conftest import eml


def test_a_mail_without_message_id_is_identified_by_its_content():
    raw = eml("plain_utf8.eml").replace(
        b"Message-ID: <20261116081355.4411@mail.example.net>\n", b""
    )
    first, again = parse_mail(raw), parse_mail(raw)
    assert first.message_id.startswith("sha256:") and first.message_id == again.message_id
    assert parse_mail(raw + b"x").message_id != first.message_id


def test_references_come_newest_first_without_repeats():
    raw = eml("reply_thread.eml", code="", in_reply_to="b@example.net")
    assert parse_mail(raw).references == ["b@example.net", "20261116081355.4411@mail.example.net"]


@pytest.mark.parametrize(
    ("subject", "title"),
    [
        ("Re: Fwd: Jalan rusak", "Jalan rusak"),
        ("RE[2]: Balas: jalan", "jalan"),
        ("Regulasi parkir", "Regulasi parkir"),
    ],
)
def test_reply_prefixes_leave_the_title(subject, title):
    assert title_from_subject(subject) == title


@pytest.mark.parametrize(
    ("raw", "code"),
    [(b"", "empty"), (b"\r\n\r\n", "empty"), (b"garbage without headers", "sender")],
)
def test_what_is_no_mail_at_all_is_unreadable(raw, code):
    with pytest.raises(MailUnreadable) as caught:
        parse_mail(raw)
    assert caught.value.code == code and caught.value.message_id.startswith("sha256:")


def _part(charset: str, payload: bytes):
    head = f"Content-Type: text/plain; charset={charset}\nContent-Transfer-Encoding: 8bit\n\n"
    return message_from_bytes(head.encode() + payload, policy=policy.default)


@pytest.mark.parametrize(
    ("charset", "payload", "text"),
    [
        ("utf-8", "Jalan berlubang — parah".encode(), "Jalan berlubang — parah"),
        ("iso-8859-1", b"\x93kutip\x94 caf\xe9", "“kutip” café"),
        ("us-ascii", "caf\u00e9".encode(), "café"),
        ("x-no-such-charset", b"caf\xc3\xa9", "café"),
        ("utf-8", b"caf\xe9 rusak", "café rusak"),
        ("base64", b"aGFp", "aGFp"),
    ],
    ids=["utf-8", "latin-1 as cp1252", "ascii label on utf-8", "unknown", "bad utf-8", "codec"],
)
def test_text_decodes_whatever_the_label_says(charset, payload, text):
    assert decode_text(_part(charset, payload)) == text


def test_html_becomes_plain_text_without_active_parts():
    html = (
        "<html><head><style>b{}</style></head><body><script>steal()</script>"
        "<p>Satu &lt;dua&gt;</p><div>Tiga<br>empat</div><!-- rahasia --></body></html>"
    )
    assert html_to_text(html) == "Satu <dua>\n\nTiga\nempat"


def test_a_reply_keeps_only_the_new_text():
    reply = "Ini tambahan saya.\n\nOn Mon, 16 Nov 2026, SPKT wrote:\n> lama\n> lama"
    assert strip_quoted(reply) == "Ini tambahan saya."
    assert strip_quoted("> kutipan saja") == "> kutipan saja"
    assert strip_quoted("Baru\n> kutipan\nlagi\n-- \nRina") == "Baru\nlagi"


def _headers(text: str):
    return message_from_bytes(text.encode(), policy=policy.default)


@pytest.mark.parametrize(
    ("headers", "sender", "reason"),
    [
        ("Auto-Submitted: no\n", "a@b.id", ""),
        ("Auto-Submitted: auto-generated\n", "a@b.id", "auto_submitted"),
        ("Precedence: junk\n", "a@b.id", "precedence"),
        ("X-Autorespond: yes\n", "a@b.id", "autoresponder"),
        ("Content-Type: multipart/report; report-type=delivery-status\n", "a@b.id", "report"),
        ("Return-Path: <>\n", "a@b.id", "null_sender"),
        ("", "postmaster@b.id", "daemon"),
        ("", "Mailer-Daemon@b.id", "daemon"),
        ("", "warga@b.id", ""),
    ],
)
def test_machine_mail_is_recognised(headers, sender, reason):
    assert automatic_reason(_headers(headers + "\n"), sender) == reason


def test_a_bounce_is_recognised_by_its_report_type_alone():
    raw = eml("bounce_dsn.eml").replace(b"Auto-Submitted: auto-replied\n", b"")
    assert parse_mail(raw).automatic == "report"


def _nested(depth: int) -> bytes:
    head = b'From: a@b.id\nSubject: x\nContent-Type: multipart/mixed; boundary="b0"\n\n'
    body = b"".join(
        b'--b%d\nContent-Type: multipart/mixed; boundary="b%d"\n\n' % (i - 1, i)
        for i in range(1, depth)
    )
    return head + body + b"--b%d\nContent-Type: text/plain\n\nisi\n" % (depth - 1)


def test_a_mail_nested_too_deep_is_unreadable_not_a_crash():
    with pytest.raises(MailUnreadable) as caught:
        parse_mail(_nested(1500))
    assert caught.value.code in {"too_deep", "too_many_parts"}


def test_a_mail_with_thousands_of_parts_is_refused_before_parsing():
    head = b'From: a@b.id\nSubject: x\nContent-Type: multipart/mixed; boundary="b0"\n\n'
    parts = b"--b0\nContent-Type: image/png\n\nxx\n" * 5000
    with pytest.raises(MailUnreadable) as caught:
        parse_mail(head + parts + b"--b0--\n")
    assert caught.value.code == "too_many_parts"


def test_a_few_nested_parts_are_read_and_attachments_capped():
    head = b'From: a@b.id\nSubject: x\nContent-Type: multipart/mixed; boundary="b0"\n\n'
    parts = b"".join(
        b'--b0\nContent-Type: image/png\nContent-Disposition: attachment; filename="f%d.png"\n\n'
        b"xx\n" % i
        for i in range(300)
    )
    parsed = parse_mail(head + b"--b0\nContent-Type: text/plain\n\nhalo\n" + parts + b"--b0--\n")
    assert parsed.text == "halo" and len(parsed.attachments) < 100
