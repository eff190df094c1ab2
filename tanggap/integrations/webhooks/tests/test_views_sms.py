"""The signed SMS gateway webhook: HMAC with a timestamp, idempotent, errors in its format."""

import json
import re
import time

import pytest
from django.core.management import CommandError, call_command
from django.utils.translation import gettext

from tanggap.cases.choices import Channel
from tanggap.intake.models import Report
from tanggap.integrations.webhooks.choices import MessageStatus
from tanggap.integrations.webhooks.models import InboundMessage, OutboundMessage
from tanggap.notifications.models import Notification, NotificationChannel
from tanggap.notifications.signing import signed_headers

from .factories import SMS_SECRET, post_sms

pytestmark = pytest.mark.django_db
MESSAGE = {
    "id": "sms-5521",
    "from": "0813-1111-2222",
    "to": "1708",
    "text": "Izin PBG saya sudah 3 bulan belum terbit, tidak ada kabar.",
}


def test_a_signed_sms_becomes_a_report_answered_by_sms(
    client, sms_number, django_capture_on_commit_callbacks
):
    # when the gateway posts a signed SMS to the licensing office's number
    with django_capture_on_commit_callbacks(execute=True):
        response = post_sms(client, MESSAGE)

    # then a report of that office from SMS, and a short receipt by SMS
    assert response.status_code == 200
    assert response.json() == {"ok": True, "results": [{"id": "sms-5521", "outcome": "created"}]}
    report = Report.objects.get()
    assert (report.unit, report.channel) == (sms_number.unit, Channel.SMS)
    receipt = Notification.objects.get()
    assert receipt.channel == NotificationChannel.SMS
    assert report.tracking_code in receipt.body and len(receipt.body) <= 160
    assert OutboundMessage.objects.get().channel == "sms"


def test_a_retried_sms_delivery_creates_nothing_twice(client, sms_number):
    # when the gateway retries the same message, as a single body and inside a batch
    first = post_sms(client, MESSAGE)
    again = post_sms(client, {"messages": [MESSAGE]})

    # then one report and one stored message
    assert first.json()["results"][0]["outcome"] == "created"
    assert again.json()["results"][0]["outcome"] == "duplicate"
    assert Report.objects.count() == 1 and InboundMessage.objects.count() == 1


def _tampered(client):
    headers = signed_headers(SMS_SECRET, json.dumps(MESSAGE).encode())
    return post_sms(client, {**MESSAGE, "text": "Tidak ada masalah."}, headers=headers)


BAD_SIGNATURES = {
    "unsigned": lambda c: post_sms(c, MESSAGE, headers={}),
    "wrong secret": lambda c: post_sms(c, MESSAGE, secret="not-the-secret"),  # noqa: S106
    "tampered body": _tampered,
    "old timestamp": lambda c: post_sms(c, MESSAGE, now=time.time() - 301),
    "future timestamp": lambda c: post_sms(c, MESSAGE, now=time.time() + 301),
}


@pytest.mark.parametrize("how", BAD_SIGNATURES)
def test_a_badly_signed_sms_is_refused_and_changes_nothing(client, sms_number, how):
    # when a body signed wrongly in one way arrives
    response = BAD_SIGNATURES[how](client)

    # then 401 in the gateway's error format, nothing stored
    assert response.status_code == 401
    assert response.json()["ok"] is False
    assert response.json()["error"]["code"] == "signature"
    assert not Report.objects.exists() and not InboundMessage.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        b"{broken",
        {"id": "1", "from": "0813", "to": "1708"},  # no text
        {"from": "081311112222", "to": "1708", "text": "x"},  # no id
        {"messages": []},
        {"messages": [MESSAGE, "not an object"]},
        {**MESSAGE, "text": "x" * 5001},
    ],
)
def test_malformed_bodies_are_refused_with_a_message_and_change_nothing(
    client, sms_number, payload
):
    response = post_sms(client, payload)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "payload" and response.json()["error"]["message"]
    assert not Report.objects.exists()


def test_a_sender_that_is_no_phone_number_is_ignored(client, sms_number):
    response = post_sms(client, {**MESSAGE, "from": "PROMO"})

    assert response.status_code == 200
    assert response.json()["results"][0]["outcome"] == "ignored"
    assert not Report.objects.exists()


def test_a_delivery_report_marks_the_sms(client, sms_number, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_sms(client, MESSAGE)
    sent = OutboundMessage.objects.get()

    # when the gateway reports the receipt SMS failed
    response = post_sms(
        client, {"type": "status", "id": sent.provider_id, "status": "failed", "error": "absent"}
    )

    # then the message shows it, with the reason
    sent.refresh_from_db()
    assert response.json()["results"] == [{"id": sent.provider_id, "outcome": "status"}]
    assert (sent.status, sent.error) == (MessageStatus.FAILED, "absent")


def test_a_message_can_be_simulated_from_the_command_line(sms_number, capsys):
    # when a developer simulates an SMS, then one from a sender that is no phone number
    call_command(
        "message_simulate", "Antrian panjang", "--channel=sms", "--to=1708", "--sender=081311112222"
    )
    with pytest.raises(CommandError, match=re.escape(gettext("The sender is not a phone number."))):
        call_command("message_simulate", "x", "--channel=sms", "--to=1708", "--sender=12")

    # then the first became a report, named in the output
    report = Report.objects.get()
    assert report.tracking_code in capsys.readouterr().out
