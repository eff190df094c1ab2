"""Replies on WhatsApp through the Cloud API: text inside the 24-hour window, template outside."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tanggap.cases.workflow import case_assign, case_request_information
from tanggap.intake.models import Report
from tanggap.integrations.webhooks.models import OutboundMessage
from tanggap.notifications.models import Notification, NotificationStatus

from .factories import PHONE_NUMBER_ID, post_whatsapp, whatsapp_body, whatsapp_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(client, wa_number, graph_api, django_capture_on_commit_callbacks):
    """A citizen wrote to the SPKT on WhatsApp and got the receipt; return the report."""
    with django_capture_on_commit_callbacks(execute=True):
        post_whatsapp(client, whatsapp_body(whatsapp_text("Motor saya dicuri di parkiran")))
    return Report.objects.get()


def test_the_receipt_is_a_text_from_the_number_the_citizen_wrote_to(reported, graph_api):
    # then one call to the Graph API messages endpoint of that number, with the token
    request = graph_api.requests[0]
    assert request["path"] == f"/v21.0/{PHONE_NUMBER_ID}/messages"
    assert request["headers"]["authorization"] == "Bearer graph-token-for-tests"
    payload = graph_api.json(0)
    assert payload["messaging_product"] == "whatsapp"
    assert (payload["to"], payload["type"]) == ("6281200001234", "text")
    assert reported.tracking_code in payload["text"]["body"]
    assert OutboundMessage.objects.get().provider_id == "wamid.OUT.1"


def test_an_update_after_the_window_is_the_approved_template(
    reported, graph_api, supervisor, settings, django_capture_on_commit_callbacks
):
    settings.TANGGAP_WHATSAPP_TEMPLATE = "laporan_update"
    # when the case is disposed 25 hours after the citizen last wrote
    with (
        time_machine.travel(timezone.now() + timedelta(hours=25)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        case_assign(case=reported.case, by=supervisor)

    # then the update goes as the template, its one parameter the subject line
    payload = graph_api.json(1)
    assert payload["type"] == "template"
    template = payload["template"]
    assert (template["name"], template["language"]["code"]) == ("laporan_update", "id")
    (parameter,) = template["components"][0]["parameters"]
    assert reported.tracking_code in parameter["text"] and "\n" not in parameter["text"]
    update = Notification.objects.get(key__startswith="event:")
    assert update.status == NotificationStatus.SENT
    assert OutboundMessage.objects.get(notification=update).sent_as == "template"


def test_an_update_inside_the_window_is_a_text(
    reported, graph_api, supervisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case_assign(case=reported.case, by=supervisor)

    assert graph_api.json(1)["type"] == "text"


def test_a_text_refused_as_outside_the_window_is_sent_as_the_template(
    reported, graph_api, supervisor, django_capture_on_commit_callbacks
):
    # given WhatsApp says the window closed (our clocks disagree at the edge)
    graph_api.answers.append(
        (400, {"error": {"message": "Re-engagement message", "code": 131047}}, {})
    )
    with django_capture_on_commit_callbacks(execute=True):
        case_assign(case=reported.case, by=supervisor)

    # then the same update is sent again as the template, and counts as sent
    assert [graph_api.json(n)["type"] for n in (1, 2)] == ["text", "template"]
    assert Notification.objects.get(key__startswith="event:").status == NotificationStatus.SENT


def test_a_graph_api_failure_is_retried_by_the_outbox_without_the_number_in_the_log(
    reported, graph_api, supervisor, django_capture_on_commit_callbacks
):
    graph_api.answers.append((500, {"error": {"message": "Service unavailable", "code": 2}}, {}))
    with django_capture_on_commit_callbacks(execute=True):
        case_assign(case=reported.case, by=supervisor)

    update = Notification.objects.get(key__startswith="event:")
    assert (update.status, update.attempts) == (NotificationStatus.PENDING, 1)
    assert "500" in update.last_error and "6281200001234" not in update.last_error


def test_the_full_text_of_a_template_update_follows_when_the_citizen_writes_again(
    client, reported, graph_api, supervisor, django_capture_on_commit_callbacks
):
    question = "Mohon kirim nomor rangka motor Anda."
    later = timezone.now() + timedelta(hours=25)
    # given the officer's question went as a template, outside the window
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        case_request_information(case=reported.case, by=supervisor, message=question)
    assert graph_api.json(1)["type"] == "template"
    assert question not in json.dumps(graph_api.json(1))

    # when the citizen writes again, then once more
    with (
        time_machine.travel(later + timedelta(hours=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        post_whatsapp(client, whatsapp_body(whatsapp_text("Ada apa?", wamid="wamid.2")))
        post_whatsapp(client, whatsapp_body(whatsapp_text("Halo?", wamid="wamid.3")))

    # then the question's full text came, once, as a text inside the window
    texts = [
        graph_api.json(n)["text"]["body"]
        for n in range(2, len(graph_api.requests))
        if graph_api.json(n)["type"] == "text"
    ]
    assert sum(question in text for text in texts) == 1
