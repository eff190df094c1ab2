"""SMS and WhatsApp gateways: the transports behind the SMS and WhatsApp channels.

A gateway sends a text (and, for WhatsApp, an approved template) to a phone number and returns
the provider's message id. Which adapter runs is a setting, read at each send:

- ``TANGGAP_SMS_GATEWAY``: "log" (development, the default) or "http" (a signed JSON POST to
  ``TANGGAP_SMS_HTTP_URL`` with ``TANGGAP_SMS_HTTP_SECRET``);
- ``TANGGAP_WHATSAPP_GATEWAY``: "log" (the default) or "cloud" (the WhatsApp Business Cloud
  API with ``TANGGAP_WHATSAPP_TOKEN`` and ``TANGGAP_WHATSAPP_PHONE_NUMBER_ID``).
"""

import contextlib
import json
import logging
import uuid
from typing import Protocol
from urllib.parse import urlsplit

import httpx
from django.conf import settings

from .signing import signed_headers

logger = logging.getLogger(__name__)

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
GRAPH_URL = "https://graph.facebook.com"
GRAPH_VERSION = "v21.0"
# Graph API error: more than 24 hours since the customer last wrote; only a template may go.
WHATSAPP_OUTSIDE_WINDOW = 131047


class GatewayError(Exception):
    """The gateway refused or could not take a message; the outbox retries it."""

    def __init__(self, message: str, *, code: int | None = None):
        super().__init__(message)
        self.code = code


class Gateway(Protocol):
    """What the SMS and WhatsApp channels need from a transport."""

    def send_text(self, *, to: str, text: str, sender: str = "") -> str:
        """Send *text* to the phone *to* (digits, country code first); return the message id."""

    def send_template(
        self, *, to: str, name: str, language: str, parameters: list[str], sender: str = ""
    ) -> str:
        """Send the approved template *name* filled with *parameters*; return the message id."""


def phone_digits(value: str) -> str:
    """Return a phone number as digits with its country code; 08… and 8… are Indonesian (62)."""
    digits = "".join(ch for ch in value if ch.isdigit())
    if digits.startswith("0"):
        return "62" + digits[1:]
    if digits.startswith("8"):
        return "62" + digits
    return digits


def masked(phone: str) -> str:
    """Return *phone* with all but its last three digits hidden, for logs."""
    return "*" * max(len(phone) - 3, 0) + phone[-3:]


class LogGateway:
    """Write messages to the log instead of sending them (development, demos and tests)."""

    def __init__(self, medium: str):
        self.medium = medium

    def send_text(self, *, to: str, text: str, sender: str = "") -> str:
        logger.info("%s to %s: %s", self.medium, masked(to), text)
        return f"log-{uuid.uuid4().hex}"

    def send_template(
        self, *, to: str, name: str, language: str, parameters: list[str], sender: str = ""
    ) -> str:
        logger.info(
            "%s template %s (%s) to %s: %s", self.medium, name, language, masked(to), parameters
        )
        return f"log-{uuid.uuid4().hex}"


def _post(client: httpx.Client | None, url: str, **kwargs) -> httpx.Response:
    """POST with *client*, or with a client of our own that is closed afterwards."""
    if client is not None:
        return client.post(url, **kwargs)
    # Redirects are refused: a gateway that moves must be reconfigured, not followed blindly.
    with httpx.Client(timeout=TIMEOUT, follow_redirects=False) as own:
        return own.post(url, **kwargs)


class SignedJSONGateway:
    """POST ``{"to", "text", "from"}`` as JSON signed with a shared secret to an SMS gateway.

    The gateway answers 2xx with ``{"id": "<its message id>"}``; anything else is a failure.
    """

    def __init__(self, *, url: str, secret: str, client: httpx.Client | None = None):
        if not url or not secret:
            raise GatewayError("the SMS gateway URL and secret are not configured")
        self.url, self.secret, self.client = url, secret, client

    def send_text(self, *, to: str, text: str, sender: str = "") -> str:
        body = json.dumps({"to": to, "text": text, "from": sender}).encode()
        headers = {"Content-Type": "application/json", **signed_headers(self.secret, body)}
        try:
            response = _post(self.client, self.url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise GatewayError(f"SMS gateway unreachable: {type(exc).__name__}") from exc
        if not response.is_success:
            raise GatewayError(f"SMS gateway answered {response.status_code}")
        try:
            return str(response.json()["id"])[:200]
        except (ValueError, KeyError, TypeError) as exc:
            raise GatewayError("SMS gateway answer has no message id") from exc

    def send_template(self, *, to, name, language, parameters, sender=""):
        return self.send_text(to=to, text=" ".join(parameters), sender=sender)


class WhatsAppCloudGateway:
    """Send through the WhatsApp Business Cloud API (Graph API ``/<phone-number-id>/messages``)."""

    def __init__(
        self,
        *,
        token: str,
        phone_number_id: str,
        base_url: str = GRAPH_URL,
        version: str = GRAPH_VERSION,
        client: httpx.Client | None = None,
    ):
        if not token or not phone_number_id:
            raise GatewayError("the WhatsApp token and phone number id are not configured")
        self.token, self.phone_number_id = token, phone_number_id
        self.base_url, self.version, self.client = base_url.rstrip("/"), version, client

    def send_text(self, *, to: str, text: str, sender: str = "") -> str:
        return self._post(
            sender,
            {"to": to, "type": "text", "text": {"preview_url": False, "body": text[:4096]}},
        )

    def send_template(
        self, *, to: str, name: str, language: str, parameters: list[str], sender: str = ""
    ) -> str:
        components = [
            {"type": "body", "parameters": [{"type": "text", "text": p} for p in parameters]}
        ]
        template = {"name": name, "language": {"code": language}, "components": components}
        return self._post(sender, {"to": to, "type": "template", "template": template})

    def media_download(self, media_id: str, *, max_bytes: int) -> tuple[bytes, str]:
        """Return the bytes and MIME type of a media file a citizen sent (image, document).

        The Graph API gives a short-lived download URL; it is fetched only from Meta's own
        hosts (or the configured API host), with the token, and no larger than *max_bytes*.
        """
        headers = {"Authorization": f"Bearer {self.token}"}
        with self._client() as client:
            try:
                meta = client.get(f"{self.base_url}/{self.version}/{media_id}", headers=headers)
                info = meta.json() if meta.is_success else {}
                url = str(info.get("url", ""))
                if not url or not _media_host_allowed(url, self.base_url):
                    raise GatewayError(f"WhatsApp media {media_id}: no usable download URL")
                if int(info.get("file_size") or 0) > max_bytes:
                    raise GatewayError(f"WhatsApp media {media_id} is too large")
                with client.stream("GET", url, headers=headers) as response:
                    if not response.is_success:
                        raise GatewayError(f"WhatsApp media answered {response.status_code}")
                    data = b""
                    for chunk in response.iter_bytes():
                        data += chunk
                        if len(data) > max_bytes:
                            raise GatewayError(f"WhatsApp media {media_id} is too large")
            except (httpx.HTTPError, ValueError) as exc:
                raise GatewayError(f"WhatsApp media unreachable: {type(exc).__name__}") from exc
        return data, str(info.get("mime_type", ""))

    def _client(self):
        """Return a context manager giving the injected client, or one of our own."""
        if self.client is not None:
            return contextlib.nullcontext(self.client)
        return httpx.Client(timeout=TIMEOUT, follow_redirects=False)

    def _post(self, sender: str, message: dict) -> str:
        url = f"{self.base_url}/{self.version}/{sender or self.phone_number_id}/messages"
        payload = {"messaging_product": "whatsapp", "recipient_type": "individual", **message}
        headers = {"Authorization": f"Bearer {self.token}"}
        try:
            response = _post(self.client, url, json=payload, headers=headers)
        except httpx.HTTPError as exc:
            raise GatewayError(f"WhatsApp API unreachable: {type(exc).__name__}") from exc
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if not response.is_success:
            error = answer.get("error") if isinstance(answer, dict) else None
            error = error if isinstance(error, dict) else {}
            code = error.get("code")
            raise GatewayError(
                f"WhatsApp API answered {response.status_code}: {code} {error.get('message', '')}"[
                    :250
                ],
                code=code if isinstance(code, int) else None,
            )
        try:
            return str(answer["messages"][0]["id"])[:200]
        except (KeyError, IndexError, TypeError) as exc:
            raise GatewayError("WhatsApp API answer has no message id") from exc


MEDIA_HOSTS = (".fbsbx.com", ".facebook.com", ".whatsapp.net")


def _media_host_allowed(url: str, base_url: str) -> bool:
    """Say whether a media download URL points at Meta, or at the configured API host."""
    parts, base = urlsplit(url), urlsplit(base_url)
    host = parts.hostname or ""
    if parts.netloc == base.netloc and parts.scheme == base.scheme:
        return True
    return parts.scheme == "https" and host.endswith(MEDIA_HOSTS)


def sms_gateway() -> Gateway:
    """Return the configured SMS gateway."""
    kind = getattr(settings, "TANGGAP_SMS_GATEWAY", "log") or "log"
    if kind == "http":
        return SignedJSONGateway(
            url=getattr(settings, "TANGGAP_SMS_HTTP_URL", ""),
            secret=getattr(settings, "TANGGAP_SMS_HTTP_SECRET", ""),
        )
    if kind == "log":
        return LogGateway("sms")
    raise GatewayError(f"unknown SMS gateway {kind!r}")


def whatsapp_gateway() -> Gateway:
    """Return the configured WhatsApp gateway."""
    kind = getattr(settings, "TANGGAP_WHATSAPP_GATEWAY", "log") or "log"
    if kind == "cloud":
        return WhatsAppCloudGateway(
            token=getattr(settings, "TANGGAP_WHATSAPP_TOKEN", ""),
            phone_number_id=getattr(settings, "TANGGAP_WHATSAPP_PHONE_NUMBER_ID", ""),
            base_url=getattr(settings, "TANGGAP_WHATSAPP_API_URL", GRAPH_URL),
            version=getattr(settings, "TANGGAP_WHATSAPP_API_VERSION", GRAPH_VERSION),
        )
    if kind == "log":
        return LogGateway("whatsapp")
    raise GatewayError(f"unknown WhatsApp gateway {kind!r}")
