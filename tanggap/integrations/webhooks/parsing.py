"""Read the JSON that WhatsApp and SMS gateways post into plain messages and status updates.

Pure: no database. Shapes we do not know are skipped, never an error, so a platform adding a
field or a message type does not make us refuse its webhooks.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.utils.translation import gettext as _

MAX_TEXT = 5000
MEDIA_TYPES = ("image", "document", "audio", "video", "sticker")


class PayloadError(ValueError):
    """The body is not what the channel promises; nothing of it is used."""


@dataclass(frozen=True)
class IncomingMessage:
    """A citizen's message: on which business number, from whom, and what it says."""

    number_id: str
    sender: str
    external_id: str
    text: str
    sent_at: datetime | None = None
    name: str = ""
    media: tuple[dict, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class StatusUpdate:
    """The platform's news about a message we sent (sent, delivered, read, failed)."""

    provider_id: str
    status: str
    at: datetime | None = None
    error: str = ""


def _unix(value) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _whatsapp_text(message: dict) -> tuple[str, tuple[dict, ...]]:
    kind = message.get("type")
    body = message.get(kind) if isinstance(message.get(kind), dict) else {}
    if kind == "text":
        return _text(body.get("body")), ()
    if kind in MEDIA_TYPES:
        media = {
            "type": kind,
            "id": _text(body.get("id")),
            "mime_type": _text(body.get("mime_type")),
        }
        return _text(body.get("caption")), (media,)
    if kind == "location":
        parts = [_text(body.get("name")), _text(body.get("address"))]
        where = f"{body.get('latitude', '')}, {body.get('longitude', '')}"
        return " ".join(p for p in [*parts, where] if p.strip()), ()
    if kind == "button":
        return _text(body.get("text")), ()
    if kind == "interactive":
        reply = body.get("button_reply") or body.get("list_reply") or {}
        return _text(reply.get("title")) if isinstance(reply, dict) else "", ()
    return "", ()


def whatsapp_parse(data) -> tuple[list[IncomingMessage], list[StatusUpdate]]:
    """Return the messages and status updates of a WhatsApp Cloud API webhook body."""
    if not isinstance(data, dict) or not isinstance(data.get("entry"), list):
        raise PayloadError(_("This is not a WhatsApp Business webhook: it has no entry list."))
    messages, statuses = [], []
    for entry in data["entry"]:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in changes if isinstance(changes, list) else []:
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict):
                continue
            metadata = value.get("metadata") if isinstance(value.get("metadata"), dict) else {}
            number_id = _text(metadata.get("phone_number_id"))
            names = {
                _text(c.get("wa_id")): _text((c.get("profile") or {}).get("name"))
                for c in value.get("contacts") or []
                if isinstance(c, dict) and isinstance(c.get("profile") or {}, dict)
            }
            for message in value.get("messages") or []:
                if not isinstance(message, dict) or not message.get("id"):
                    continue
                text, media = _whatsapp_text(message)
                if not text.strip() and not media:
                    continue  # reactions, unsupported types: nothing for a case
                sender = _text(message.get("from"))
                messages.append(
                    IncomingMessage(
                        number_id=number_id,
                        sender=sender,
                        external_id=_text(message.get("id"))[:200],
                        text=text[:MAX_TEXT],
                        sent_at=_unix(message.get("timestamp")),
                        name=names.get(sender, "")[:100],
                        media=media,
                    )
                )
            for status in value.get("statuses") or []:
                if isinstance(status, dict) and status.get("id") and status.get("status"):
                    errors = status.get("errors") if isinstance(status.get("errors"), list) else []
                    error = errors[0] if errors and isinstance(errors[0], dict) else {}
                    statuses.append(
                        StatusUpdate(
                            provider_id=_text(status.get("id"))[:200],
                            status=_text(status.get("status")),
                            at=_unix(status.get("timestamp")),
                            error=f"{error.get('code', '')} {error.get('title', '')}".strip()[:300],
                        )
                    )
    return messages, statuses


def _sms_item(item) -> IncomingMessage | StatusUpdate:
    if not isinstance(item, dict):
        raise PayloadError(_("Each message must be a JSON object."))
    external_id = item.get("id")
    if not isinstance(external_id, str | int) or not str(external_id).strip():
        raise PayloadError(_("The field %(name)s is required.") % {"name": "id"})
    external_id = str(external_id).strip()[:200]
    if item.get("type", "message") == "status":
        if not isinstance(item.get("status"), str):
            raise PayloadError(_("The field %(name)s is required.") % {"name": "status"})
        return StatusUpdate(
            provider_id=external_id,
            status=item["status"],
            at=_unix(item.get("timestamp")),
            error=_text(item.get("error"))[:300],
        )
    for name in ("from", "to", "text"):
        if not isinstance(item.get(name), str) or not item[name].strip():
            raise PayloadError(_("The field %(name)s is required.") % {"name": name})
    if len(item["text"]) > MAX_TEXT:
        raise PayloadError(_("The text is longer than %(n)d characters.") % {"n": MAX_TEXT})
    return IncomingMessage(
        number_id=item["to"].strip()[:64],
        sender=item["from"].strip(),
        external_id=external_id,
        text=item["text"],
        sent_at=_unix(item.get("timestamp")),
    )


def sms_parse(data) -> tuple[list[IncomingMessage], list[StatusUpdate]]:
    """Return the messages and status updates of a signed SMS gateway body.

    One object (``{"id", "from", "to", "text"}`` or ``{"type": "status", "id", "status"}``)
    or ``{"messages": [...]}`` of them. A missing or wrong field refuses the whole body.
    """
    items = data.get("messages") if isinstance(data, dict) and "messages" in data else [data]
    if not isinstance(items, list) or not items or len(items) > 100:
        raise PayloadError(_("The field messages must be a list of 1 to 100 objects."))
    parsed = [_sms_item(item) for item in items]
    return (
        [p for p in parsed if isinstance(p, IncomingMessage)],
        [p for p in parsed if isinstance(p, StatusUpdate)],
    )
