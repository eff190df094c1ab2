"""Factories for business numbers, and signed webhook bodies as the platforms send them."""

import hashlib
import hmac
import json
import time

import factory

from tanggap.integrations.webhooks.choices import MessagingChannel
from tanggap.integrations.webhooks.models import MessagingNumber
from tanggap.notifications.signing import signed_headers

APP_SECRET = "meta-app-secret-for-tests"  # noqa: S105 - test value
SMS_SECRET = "sms-shared-secret-for-tests"  # noqa: S105 - test value
PHONE_NUMBER_ID = "106540352242922"


class MessagingNumberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MessagingNumber

    channel = MessagingChannel.WHATSAPP
    identifier = PHONE_NUMBER_ID


def whatsapp_body(*messages, statuses=(), number_id=PHONE_NUMBER_ID, name="Budi") -> bytes:
    """Return a Cloud API webhook body carrying *messages* (dicts) and *statuses*."""
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281100000000", "phone_number_id": number_id},
        "contacts": [{"profile": {"name": name}, "wa_id": m.get("from")} for m in messages],
        "messages": list(messages),
        "statuses": list(statuses),
    }
    entry = {"id": "1029384756", "changes": [{"value": value, "field": "messages"}]}
    return json.dumps({"object": "whatsapp_business_account", "entry": [entry]}).encode()


def whatsapp_text(text, *, wamid="wamid.HBgM001", sender="6281200001234", at=None) -> dict:
    """Return one WhatsApp text message as the Cloud API sends it."""
    return {
        "from": sender,
        "id": wamid,
        "timestamp": str(int(at if at is not None else time.time())),
        "type": "text",
        "text": {"body": text},
    }


def hub_signature(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post_whatsapp(client, body: bytes, *, signature=None):
    """POST *body* to the WhatsApp webhook, signed as Meta signs unless told otherwise."""
    return client.post(
        "/integrasi/pesan/whatsapp/",
        data=body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": hub_signature(body) if signature is None else signature},
    )


def post_sms(client, payload, *, secret=SMS_SECRET, now=None, headers=None):
    """POST *payload* (a dict or raw bytes) to the SMS webhook, signed with *secret*."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    signed = signed_headers(secret, body, now=now)
    return client.post(
        "/integrasi/pesan/sms/",
        data=body,
        content_type="application/json",
        headers=signed if headers is None else headers,
    )


def event_with_id(case, pk: int, kind: str = "update"):
    """Append an event with a chosen id, as a transaction committing late leaves it."""
    from tanggap.cases.models import CaseEvent  # noqa: PLC0415

    # bulk_create: the model's save() refuses a chosen id, as it refuses any rewrite.
    return CaseEvent.objects.bulk_create([CaseEvent(pk=pk, case=case, kind=kind)])[0]
