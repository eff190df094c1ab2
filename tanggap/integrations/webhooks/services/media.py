"""Photos and documents citizens send on WhatsApp: fetched from the platform, then attached."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction

from tanggap.intake.services import report_add_information
from tanggap.intake.uploads import MAX_FILE_BYTES, clean_upload
from tanggap.notifications.gateways import GatewayError, whatsapp_gateway

from ..choices import MessagingChannel
from ..models import InboundMessage

logger = logging.getLogger(__name__)

# What intake accepts as attachments (images and PDF); audio and video are not kept.
STORED_MEDIA = ("image", "document")
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def media_fetch_enqueue(inbound: InboundMessage) -> None:
    """Fetch *inbound*'s media in the background once it is committed."""
    from ..tasks import fetch_media  # noqa: PLC0415 - tasks import this module

    transaction.on_commit(lambda: fetch_media.enqueue(inbound.pk))


def inbound_media_fetch(*, inbound_id: int) -> int:
    """Download *inbound*'s images and documents and attach them to its report.

    Each item is marked with what happened ("stored", "unavailable", or why it was refused),
    so a second run fetches nothing again. The downloads run outside any transaction; the
    marks and files are then written under the row's lock, and a run that finds them written
    by another keeps its downloads to itself. Return how many files were attached.
    """
    gateway = whatsapp_gateway()
    if not hasattr(gateway, "media_download"):
        return 0  # the development gateway has no platform to fetch from
    inbound = InboundMessage.objects.filter(
        pk=inbound_id, channel=MessagingChannel.WHATSAPP, report__isnull=False
    ).first()
    if inbound is None:
        return 0
    files, results = [], {}
    for item in inbound.media:
        if item.get("type") in STORED_MEDIA and not item.get("result") and item.get("id"):
            results[item["id"]] = _fetch(gateway, item, files)
    if not results:
        return 0
    with transaction.atomic():
        inbound = (
            InboundMessage.objects.select_for_update(of=("self",))
            .select_related("report")
            .get(pk=inbound_id)
        )
        if any(item.get("result") for item in inbound.media if item.get("id") in results):
            return 0  # another run got there first
        if files:
            report_add_information(report=inbound.report, message="", files=files)
        inbound.media = [
            {**item, "result": results[item["id"]]} if item.get("id") in results else item
            for item in inbound.media
        ]
        inbound.save(update_fields=["media", "updated_at"])
        return len(files)


def _fetch(gateway, item: dict, files: list) -> str:
    try:
        data, mime = gateway.media_download(item["id"], max_bytes=MAX_FILE_BYTES)
    except GatewayError as exc:
        logger.warning("WhatsApp media %s not fetched: %s", item["id"], exc)
        return "unavailable"
    extension = EXTENSIONS.get(mime, "pdf" if mime == "application/pdf" else "bin")
    try:
        files.append(clean_upload(f"whatsapp-{item['type']}.{extension}", data))
    except ValidationError as exc:
        # Not a type or size intake accepts: refused as a web upload would be.
        return f"refused: {exc.messages[0]}"[:200]
    return "stored"
