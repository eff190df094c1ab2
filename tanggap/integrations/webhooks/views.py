"""Webhooks the SMS gateway and the WhatsApp Business Cloud API call with citizens' messages.

Every refusal is logged and answered in the caller's own JSON error format, and stores
nothing. What we cannot use (an unknown number, a reaction, a status of a message we did not
send) is answered 200, so the platform does not retry it forever.
"""

import json
import logging

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from tanggap.common.exceptions import ApplicationError
from tanggap.notifications.signing import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    body_signature_valid,
    signature_valid,
)

from .choices import MessagingChannel
from .parsing import PayloadError, sms_parse, whatsapp_parse
from .services.inbound import inbound_receive
from .services.messages import status_update

logger = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024


def _whatsapp_error(status: int, code: str, message: str) -> JsonResponse:
    logger.warning("WhatsApp webhook refused (%s): %s", code, message)
    return JsonResponse(
        {"error": {"message": message, "type": "webhook", "code": code}}, status=status
    )


def _sms_error(status: int, code: str, message: str) -> JsonResponse:
    logger.warning("SMS webhook refused (%s): %s", code, message)
    return JsonResponse({"ok": False, "error": {"code": code, "message": message}}, status=status)


def _json(body: bytes):
    """Return the decoded JSON of *body*, or raise PayloadError."""
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PayloadError(_("The body is not valid JSON.")) from exc


def _receive(channel: str, messages, statuses) -> list[dict]:
    results = []
    for message in messages:
        try:
            inbound, created = inbound_receive(channel=channel, message=message)
            outcome = inbound.outcome if created else "duplicate"
        except ApplicationError as exc:
            logger.warning("%s message %s ignored: %s", channel, message.external_id, exc.code)
            outcome = "ignored"
        results.append({"id": message.external_id, "outcome": outcome})
    for update in statuses:
        known = status_update(channel=channel, update=update)
        results.append({"id": update.provider_id, "outcome": "status" if known else "ignored"})
    return results


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp(request):
    """Answer Meta's subscription check (GET) and receive messages and statuses (POST)."""
    if request.method == "GET":
        token = getattr(settings, "TANGGAP_WHATSAPP_VERIFY_TOKEN", "")
        given = request.GET.get("hub.verify_token", "")
        if (
            request.GET.get("hub.mode") != "subscribe"
            or not token
            or not constant_time_compare(given, token)
        ):
            return _whatsapp_error(403, "verify_token", _("The verify token does not match."))
        return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
    if len(request.body) > MAX_BODY:
        return _whatsapp_error(413, "too_large", _("The body is too large."))
    secret = getattr(settings, "TANGGAP_WHATSAPP_APP_SECRET", "")
    if not body_signature_valid(
        secret, request.body, request.headers.get("X-Hub-Signature-256", "")
    ):
        return _whatsapp_error(401, "signature", _("The signature is missing or wrong."))
    try:
        messages, statuses = whatsapp_parse(_json(request.body))
    except PayloadError as exc:
        return _whatsapp_error(400, "payload", str(exc))
    return JsonResponse(
        {"status": "ok", "results": _receive(MessagingChannel.WHATSAPP, messages, statuses)}
    )


@csrf_exempt
@require_POST
def sms(request):
    """Receive messages and delivery reports from an SMS gateway, signed with a shared secret."""
    if len(request.body) > MAX_BODY:
        return _sms_error(413, "too_large", _("The body is too large."))
    valid = signature_valid(
        getattr(settings, "TANGGAP_SMS_WEBHOOK_SECRET", ""),
        request.headers.get(TIMESTAMP_HEADER, ""),
        request.body,
        request.headers.get(SIGNATURE_HEADER, ""),
    )
    if not valid:
        return _sms_error(
            401, "signature", _("The signature is missing, wrong or older than five minutes.")
        )
    try:
        messages, statuses = sms_parse(_json(request.body))
    except PayloadError as exc:
        return _sms_error(400, "payload", str(exc))
    return JsonResponse({"ok": True, "results": _receive(MessagingChannel.SMS, messages, statuses)})
