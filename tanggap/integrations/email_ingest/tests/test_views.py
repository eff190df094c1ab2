"""The inbound webhook: signed raw mail in, a clear answer out, nothing stored when refused."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tanggap.common.crypto import encrypt_text
from tanggap.intake.models import Report
from tanggap.integrations.email_ingest.models import InboundMail
from tanggap.integrations.email_ingest.views import SIGNATURE_HEADER
from tanggap.notifications.signing import body_signature as signature

from .conftest import eml
from .factories import WEBHOOK_SECRET


def post(client, key, body, *, sign_with=WEBHOOK_SECRET, **headers):
    if sign_with is not None:
        headers[SIGNATURE_HEADER] = signature(sign_with, body)
    return client.post(
        reverse("email_ingest:inbound", args=[key]),
        data=body,
        content_type="message/rfc822",
        headers=headers,
    )


def test_a_signed_mail_becomes_a_report(client, mailbox):
    # given a correctly signed mail for the SPKT's mailbox
    # when the provider posts it
    response = post(client, "spkt", eml("plain_utf8.eml"))
    # then a report exists and the caller is told so
    assert response.status_code == 201
    assert response.json() == {"status": "created", "duplicate": False}
    assert Report.objects.get().unit == mailbox.unit


def test_the_mailbox_can_be_named_by_its_id(client, mailbox):
    assert post(client, str(mailbox.pk), eml("plain_utf8.eml")).status_code == 201


def test_a_repeated_post_is_acknowledged_and_creates_nothing(client, mailbox):
    post(client, "spkt", eml("plain_utf8.eml"))
    response = post(client, "spkt", eml("plain_utf8.eml"))
    assert response.status_code == 200 and response.json()["duplicate"] is True
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    "sign_with",
    [None, "salah-rahasia-0123456789abcdef0123", ""],
    ids=["missing", "wrong secret", "empty secret"],
)
def test_an_unsigned_or_wrongly_signed_call_is_refused_and_stores_nothing(
    client, mailbox, sign_with
):
    # given a mail without a valid signature
    # when it is posted
    response = post(client, "spkt", eml("plain_utf8.eml"), sign_with=sign_with)
    # then the caller gets 401 with a clear, translated message and nothing is stored
    assert response.status_code == 401
    with translation.override("id"):
        assert response.json() == {
            "error": gettext("The signature is missing or wrong."),
            "code": "signature",
        }
    assert not Report.objects.exists() and not InboundMail.objects.exists()


def test_a_body_changed_after_signing_is_refused(client, mailbox):
    body = eml("plain_utf8.eml")
    response = client.post(
        reverse("email_ingest:inbound", args=["spkt"]),
        data=body.replace(b"Mohon ditertibkan", b"Abaikan saja"),
        content_type="message/rfc822",
        headers={SIGNATURE_HEADER: signature(WEBHOOK_SECRET, body)},
    )
    assert response.status_code == 401 and not Report.objects.exists()


def test_another_mailboxs_secret_does_not_open_this_one(client, mailbox, other_mailbox):
    # given the other unit's mailbox, whose secret the caller knows
    other_mailbox.webhook_secret_enc = encrypt_text("rahasia-milik-dpmptsp-0123456789abcdef")
    other_mailbox.save(update_fields=["webhook_secret_enc"])
    # when they post to the SPKT's mailbox with it
    response = post(
        client, "spkt", eml("plain_utf8.eml"), sign_with="rahasia-milik-dpmptsp-0123456789abcdef"
    )
    # then they are refused
    assert response.status_code == 401 and not Report.objects.exists()


def test_an_unknown_or_inactive_mailbox_is_not_found(client, mailbox):
    assert post(client, "tidak-ada", eml("plain_utf8.eml")).status_code == 404
    mailbox.is_active = False
    mailbox.save(update_fields=["is_active"])
    assert post(client, "spkt", eml("plain_utf8.eml")).status_code == 404


def test_a_logged_in_officer_of_another_unit_cannot_post_without_the_signature(
    client, mailbox, other_officer
):
    client.force_login(other_officer)
    response = post(client, "spkt", eml("plain_utf8.eml"), sign_with=None)
    assert response.status_code == 401 and not Report.objects.exists()


def test_only_post_is_accepted(client, mailbox):
    assert client.get(reverse("email_ingest:inbound", args=["spkt"])).status_code == 405


def test_an_unreadable_mail_is_kept_and_the_caller_told(client, mailbox):
    # given a signed mail with no sender
    # when it is posted
    response = post(client, "spkt", eml("no_sender.eml"))
    # then the caller learns it was kept for a person; no report is created
    assert response.status_code == 422
    assert response.json()["status"] == "held" and response.json()["code"] == "sender"
    assert not Report.objects.exists()
    assert InboundMail.objects.get().raw_enc


def test_an_auto_reply_is_acknowledged_and_ignored(client, mailbox):
    response = post(client, "spkt", eml("bounce_dsn.eml"))
    assert response.status_code == 200 and response.json()["status"] == "ignored"
    assert not Report.objects.exists()


def test_an_empty_body_is_refused(client, mailbox):
    response = post(client, "spkt", b"")
    assert response.status_code == 400 and not InboundMail.objects.exists()


def test_a_body_over_the_limit_is_refused(client, mailbox, settings):
    # given a smaller request limit than the body
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post(client, "spkt", eml("multipart_attachments.eml"))
    assert response.status_code == 413 and not InboundMail.objects.exists()


def test_a_flooding_sender_is_told_to_come_back_later(client, mailbox, settings):
    # given a limit of one mail per sender and hour, reached
    settings.EMAIL_INGEST_PER_SENDER_PER_HOUR = 1
    post(client, "spkt", eml("plain_utf8.eml"))
    # when the same sender's next mail is posted
    response = post(client, "spkt", eml("reply_thread.eml", code="", in_reply_to="x@y"))
    # then the caller must retry later and nothing is stored
    assert response.status_code == 429 and response.headers["Retry-After"] == "3600"
    assert InboundMail.objects.count() == 1
