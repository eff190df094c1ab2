"""The WhatsApp Cloud API webhook: verified, signed, idempotent, answered in Meta's format."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tanggap.cases.choices import CaseStatus, Channel, EventKind
from tanggap.cases.models import CaseEvent
from tanggap.cases.workflow import case_assign
from tanggap.common.crypto import decrypt_text
from tanggap.intake.models import Report
from tanggap.intake.tests.factories import submit_report
from tanggap.integrations.webhooks.choices import InboundOutcome, MessageStatus
from tanggap.integrations.webhooks.models import InboundMessage, OutboundMessage
from tanggap.notifications.models import Notification, NotificationChannel, NotificationStatus

from .factories import post_whatsapp, whatsapp_body, whatsapp_text

pytestmark = pytest.mark.django_db
COMPLAINT = "Petugas SPKT minta uang untuk SKCK.\nSaya antri dari pagi di Polres Contoh."


def test_meta_subscription_check_echoes_the_challenge_only_with_the_token(client):
    # when Meta checks the subscription with the right token, then with a wrong one
    ok = client.get(
        "/integrasi/pesan/whatsapp/",
        {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"},
    )
    wrong = client.get(
        "/integrasi/pesan/whatsapp/",
        {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1158201444"},
    )

    # then the challenge comes back as text, and a wrong token gets Meta's error shape
    assert ok.status_code == 200 and ok.content == b"1158201444"
    assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "verify_token"


def test_a_message_becomes_a_whatsapp_report_with_a_receipt_in_the_chat(
    client, wa_number, django_capture_on_commit_callbacks
):
    # when a citizen writes to the SPKT's WhatsApp number
    with django_capture_on_commit_callbacks(execute=True):
        response = post_whatsapp(client, whatsapp_body(whatsapp_text(COMPLAINT)))

    # then a report of the SPKT exists, from WhatsApp, titled by the first line
    assert response.status_code == 200
    assert response.json()["results"] == [{"id": "wamid.HBgM001", "outcome": "created"}]
    report = Report.objects.get()
    assert (report.unit, report.channel) == (wa_number.unit, Channel.WHATSAPP)
    assert report.title == "Petugas SPKT minta uang untuk SKCK."
    assert (report.external_source, report.external_ref) == ("whatsapp", "wamid.HBgM001")
    assert decrypt_text(report.reporter.phone_enc) == "6281200001234"
    assert decrypt_text(report.reporter.name_enc) == "Budi"
    # and the receipt went back on WhatsApp (the development gateway), naming the code
    receipt = Notification.objects.get()
    assert receipt.channel == NotificationChannel.WHATSAPP
    assert receipt.status == NotificationStatus.SENT
    assert report.tracking_code in receipt.body
    assert OutboundMessage.objects.get().sent_as == "text"  # the citizen just wrote: window open


def test_a_retried_webhook_creates_nothing_twice(
    client, wa_number, django_capture_on_commit_callbacks
):
    body = whatsapp_body(whatsapp_text(COMPLAINT))
    # when Meta delivers the same webhook three times
    with django_capture_on_commit_callbacks(execute=True):
        answers = [post_whatsapp(client, body) for _ in range(3)]

    # then one report, one stored message, one receipt; the repeats say so
    assert [a.json()["results"][0]["outcome"] for a in answers] == [
        "created",
        "duplicate",
        "duplicate",
    ]
    assert Report.objects.count() == 1
    assert InboundMessage.objects.count() == 1
    assert Notification.objects.count() == 1


@pytest.mark.parametrize("signature", ["", "sha256=" + "0" * 64, "md5=abc"])
def test_an_unsigned_or_wrongly_signed_webhook_is_refused_and_changes_nothing(
    client, wa_number, signature
):
    # when the body is not signed with the app secret
    response = post_whatsapp(client, whatsapp_body(whatsapp_text(COMPLAINT)), signature=signature)

    # then 401 in Meta's error format, and nothing is stored
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "signature"
    assert not Report.objects.exists() and not InboundMessage.objects.exists()


def test_a_body_signed_with_another_secret_is_refused(client, wa_number, settings):
    body = whatsapp_body(whatsapp_text(COMPLAINT))
    settings.TANGGAP_WHATSAPP_APP_SECRET = "rotated-secret"  # noqa: S105 - test value

    assert post_whatsapp(client, body).status_code == 401
    assert not Report.objects.exists()


@pytest.mark.parametrize("body", [b"{not json", b"[]", b'{"object": "page"}'])
def test_malformed_json_is_a_clear_error_in_the_callers_language(client, wa_number, body):
    # when a correctly signed body is not a WhatsApp webhook, asked in English
    with translation.override("en"):
        response = post_whatsapp(client, body)

    # then 400 with a message, and nothing is stored
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "payload"
    assert response.json()["error"]["message"]
    assert not Report.objects.exists()


def test_a_second_message_joins_the_senders_open_case(
    client, wa_number, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_whatsapp(client, whatsapp_body(whatsapp_text(COMPLAINT)))
        # when the same sender writes again while the case is open
        response = post_whatsapp(
            client,
            whatsapp_body(whatsapp_text("Namanya Brigpol X, jam 10.", wamid="wamid.HBgM002")),
        )

    # then no new report: the text is added to the case's timeline and acknowledged
    assert response.json()["results"][0]["outcome"] == InboundOutcome.JOINED
    report = Report.objects.get()
    added = CaseEvent.objects.get(kind=EventKind.INFORMATION_ADDED)
    assert added.case_id == report.case_id and "Brigpol X" in added.message
    assert Notification.objects.filter(key__startswith="inbound:").count() == 1


def test_a_sender_whose_case_is_closed_starts_a_new_report(
    client, wa_number, supervisor, django_capture_on_commit_callbacks
):
    # given the sender's earlier case was archived
    from tanggap.cases.workflow import case_archive  # noqa: PLC0415

    with django_capture_on_commit_callbacks(execute=True):
        post_whatsapp(client, whatsapp_body(whatsapp_text(COMPLAINT)))
    case_archive(case=Report.objects.get().case, by=supervisor)

    # when they write again
    post_whatsapp(client, whatsapp_body(whatsapp_text("Laporan baru", wamid="wamid.HBgM002")))

    # then a second report and case
    assert Report.objects.count() == 2
    assert Report.objects.filter(case__status=CaseStatus.ARCHIVED).count() == 1


def test_an_open_case_of_another_organisation_is_not_joined(client, wa_number, dpmptsp):
    # given the sender has an open case at the licensing office, by the web form
    submit_report(dpmptsp, phone="0812-0000-1234")

    # when they write to the SPKT's WhatsApp number
    post_whatsapp(client, whatsapp_body(whatsapp_text(COMPLAINT, sender="6281200001234")))

    # then the SPKT gets a report of its own
    assert Report.objects.filter(unit=wa_number.unit).count() == 1


def test_a_message_to_an_unknown_number_is_acknowledged_and_ignored(client, wa_number):
    # when a message arrives for a phone number id no unit receives on
    response = post_whatsapp(client, whatsapp_body(whatsapp_text(COMPLAINT), number_id="424242"))

    # then 200 (so Meta stops retrying), nothing stored
    assert response.status_code == 200
    assert response.json()["results"][0]["outcome"] == "ignored"
    assert not Report.objects.exists() and not InboundMessage.objects.exists()


def test_media_and_unknown_shapes_never_crash(client, wa_number):
    photo = {
        "from": "6281200001234",
        "id": "wamid.IMG1",
        "timestamp": "1763800000",
        "type": "image",
        "image": {"id": "1479537139650973", "mime_type": "image/jpeg", "caption": "Jalan rusak"},
    }
    reaction = {"from": "6281200001234", "id": "wamid.R1", "type": "reaction", "reaction": {}}
    odd = {"from": "6281200001234", "id": "wamid.X1", "type": "ephemeral", "ephemeral": 7}

    # when a photo with a caption, a reaction and a type we do not know arrive together
    response = post_whatsapp(client, whatsapp_body(photo, reaction, odd, {"no": "id"}))

    # then the photo's caption is the report and its media id is kept; the rest is skipped
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.title == "Jalan rusak" and report.description == "Jalan rusak"
    assert InboundMessage.objects.get().media == [
        {"type": "image", "id": "1479537139650973", "mime_type": "image/jpeg"}
    ]


def test_status_callbacks_update_the_sent_message_and_never_step_back(
    client, wa_number, supervisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_whatsapp(client, whatsapp_body(whatsapp_text(COMPLAINT)))
        case_assign(case=Report.objects.get().case, by=supervisor)
    sent = OutboundMessage.objects.order_by("id").last()

    def status(name, at):
        return {"id": sent.provider_id, "status": name, "timestamp": str(at), "recipient_id": "x"}

    # when "read" arrives, then a late "delivered", then a status for a message we never sent
    body = whatsapp_body(
        statuses=[
            status("read", 1763800100),
            status("delivered", 1763800050),
            {"id": "wamid.unknown", "status": "sent"},
        ]
    )
    response = post_whatsapp(client, body)

    # then the message is read, and the unknown one is acknowledged
    assert response.status_code == 200
    sent.refresh_from_db()
    assert sent.status == MessageStatus.READ
    assert [r["outcome"] for r in response.json()["results"]] == ["status", "status", "ignored"]


def test_an_urgent_message_gets_the_emergency_numbers_in_its_receipt(
    client, wa_number, django_capture_on_commit_callbacks
):
    # when a citizen reports by WhatsApp a tree fallen on a house with people inside
    text = "Pohon besar tumbang menimpa rumah warga di gang 3, ada orang di dalam. Tolong!"
    with django_capture_on_commit_callbacks(execute=True):
        post_whatsapp(client, whatsapp_body(whatsapp_text(text)))

    # then the case is urgent and the receipt opens with the emergency numbers
    assert Report.objects.get().case.priority == "urgent"
    with translation.override("id"):
        emergency = gettext("If there is danger to life or safety, call 110 (police) or 112 now.")
    assert emergency in Notification.objects.get(key__startswith="receipt:").body
