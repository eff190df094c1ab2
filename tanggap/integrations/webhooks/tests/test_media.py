"""Photos sent on WhatsApp are fetched from the Graph API, cleaned and attached to the report."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tanggap.intake.models import Attachment, Report
from tanggap.intake.tests.factories import jpeg_bytes
from tanggap.integrations.webhooks.models import InboundMessage
from tanggap.integrations.webhooks.services.media import inbound_media_fetch

from .factories import post_whatsapp, whatsapp_body

pytestmark = pytest.mark.django_db


def photo(media_id="1479537139650973", caption="Jalan berlubang depan SD"):
    image = {"id": media_id, "mime_type": "image/jpeg"} | ({"caption": caption} if caption else {})
    return {
        "from": "6281200001234",
        "id": f"wamid.{media_id}",
        "timestamp": "1763800000",
        "type": "image",
        "image": image,
    }


def serve_media(graph_api, media_id, content: bytes, mime="image/jpeg"):
    graph_api.routes[f"/v21.0/{media_id}"] = (
        200,
        {"url": f"{graph_api.url}/media/{media_id}", "mime_type": mime, "file_size": len(content)},
        {},
    )
    graph_api.routes[f"/media/{media_id}"] = (200, content, {"Content-Type": mime})


def test_a_photo_is_attached_without_its_metadata(
    client, wa_number, graph_api, django_capture_on_commit_callbacks
):
    serve_media(graph_api, "1479537139650973", jpeg_bytes(gps=True))

    # when a citizen sends a photo with a caption
    with django_capture_on_commit_callbacks(execute=True):
        post_whatsapp(client, whatsapp_body(photo()))

    # then the report holds the caption and the cleaned photo, fetched with the token
    report = Report.objects.get()
    assert report.description == "Jalan berlubang depan SD"
    attachment = Attachment.objects.get(report=report)
    assert attachment.content_type == "image/jpeg"
    assert b"PhoneMaker" not in attachment.file.read()  # EXIF dropped
    downloads = [r for r in graph_api.requests if r["method"] == "GET"]
    assert all(r["headers"]["authorization"] == "Bearer graph-token-for-tests" for r in downloads)
    assert InboundMessage.objects.get().media[0]["result"] == "stored"

    # and fetching again attaches nothing twice
    assert inbound_media_fetch(inbound_id=InboundMessage.objects.get().pk) == 0
    assert Attachment.objects.count() == 1


def test_a_file_that_is_no_image_is_refused_and_noted(
    client, wa_number, graph_api, django_capture_on_commit_callbacks
):
    serve_media(graph_api, "555", b"MZ\x90\x00 not a photo")

    with django_capture_on_commit_callbacks(execute=True):
        post_whatsapp(client, whatsapp_body(photo("555", caption="")))

    # then no attachment; the report says a file came and the message says why it was refused
    assert not Attachment.objects.exists()
    with translation.override("id"):
        note = gettext("[Sent without text: see the attached files.]")
    assert Report.objects.get().description == note
    assert InboundMessage.objects.get().media[0]["result"].startswith("refused")


def test_a_download_url_off_meta_is_not_fetched(
    client, wa_number, graph_api, django_capture_on_commit_callbacks
):
    graph_api.routes["/v21.0/777"] = (200, {"url": "http://169.254.169.254/x", "file_size": 1}, {})

    with django_capture_on_commit_callbacks(execute=True):
        post_whatsapp(client, whatsapp_body(photo("777")))

    assert InboundMessage.objects.get().media[0]["result"] == "unavailable"
    assert not Attachment.objects.exists()
