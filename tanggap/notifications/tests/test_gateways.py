"""The gateway adapters against fake peers (httpx.MockTransport): what they send and refuse."""

import json
import logging

import httpx
import pytest

from tanggap.notifications.gateways import (
    GatewayError,
    LogGateway,
    SignedJSONGateway,
    WhatsAppCloudGateway,
    phone_digits,
    sms_gateway,
    whatsapp_gateway,
)
from tanggap.notifications.signing import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    body_signature_valid,
    signature,
    signature_valid,
)

SECRET = "gateway-secret"  # noqa: S105 - test value


def fake(handler) -> tuple[httpx.Client, list[httpx.Request]]:
    """Return a client whose peer is *handler*, and the list of requests it received."""
    seen: list[httpx.Request] = []

    def record(request):
        seen.append(request)
        return handler(request)

    return httpx.Client(transport=httpx.MockTransport(record)), seen


@pytest.mark.parametrize(
    ("given", "digits"),
    [
        ("0812-0000-1234", "6281200001234"),
        ("+62 812 0000 1234", "6281200001234"),
        ("81200001234", "6281200001234"),
        ("+31 20 123 4567", "31201234567"),
    ],
)
def test_phone_numbers_become_digits_with_the_country_code(given, digits):
    assert phone_digits(given) == digits


def test_the_signed_json_gateway_posts_a_body_the_gateway_can_verify():
    client, seen = fake(lambda request: httpx.Response(202, json={"id": "sms-77"}))
    gateway = SignedJSONGateway(url="https://sms.example/send", secret=SECRET, client=client)

    # when a text is sent
    message_id = gateway.send_text(to="6281200001234", text="Laporan TGP-1: diterima")

    # then the gateway got JSON it can check with the shared secret, and we keep its id
    (request,) = seen
    body = request.read()
    assert json.loads(body) == {
        "to": "6281200001234",
        "text": "Laporan TGP-1: diterima",
        "from": "",
    }
    assert signature_valid(
        SECRET, request.headers[TIMESTAMP_HEADER], body, request.headers[SIGNATURE_HEADER]
    )
    assert message_id == "sms-77"


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(500, json={"error": "down"}),
        httpx.Response(302, headers={"Location": "http://10.0.0.1/"}),
        httpx.Response(200, text="OK"),
        httpx.Response(200, json={"no": "id"}),
    ],
)
def test_the_signed_json_gateway_fails_loudly_on_what_it_cannot_trust(answer):
    client, seen = fake(lambda request: answer)
    gateway = SignedJSONGateway(url="https://sms.example/send", secret=SECRET, client=client)

    with pytest.raises(GatewayError):
        gateway.send_text(to="6281200001234", text="x")
    assert len(seen) == 1  # a redirect is not followed


def test_an_unreachable_gateway_is_a_gateway_error():
    def refuse(request):
        raise httpx.ConnectError("refused")

    client, _ = fake(refuse)
    gateway = SignedJSONGateway(url="https://sms.example/send", secret=SECRET, client=client)
    with pytest.raises(GatewayError, match="unreachable"):
        gateway.send_text(to="6281200001234", text="x")


def test_the_cloud_api_adapter_sends_text_and_templates_to_the_messages_endpoint():
    client, seen = fake(lambda request: httpx.Response(200, json={"messages": [{"id": "wamid.9"}]}))
    gateway = WhatsAppCloudGateway(token="tok", phone_number_id="111", client=client)

    text_id = gateway.send_text(to="6281200001234", text="Halo")
    gateway.send_template(
        to="6281200001234", name="tanggap_update", language="id", parameters=["A"], sender="222"
    )

    assert text_id == "wamid.9"
    assert [str(r.url) for r in seen] == [
        "https://graph.facebook.com/v21.0/111/messages",
        "https://graph.facebook.com/v21.0/222/messages",
    ]
    assert seen[0].headers["Authorization"] == "Bearer tok"
    template = json.loads(seen[1].read())["template"]
    assert template["components"][0]["parameters"] == [{"type": "text", "text": "A"}]


def test_the_cloud_api_error_code_is_kept_for_the_channel():
    error = {
        "error": {"message": "Re-engagement message", "type": "OAuthException", "code": 131047}
    }
    client, _ = fake(lambda request: httpx.Response(400, json=error))
    gateway = WhatsAppCloudGateway(token="tok", phone_number_id="111", client=client)

    with pytest.raises(GatewayError) as caught:
        gateway.send_text(to="6281200001234", text="Halo")
    assert caught.value.code == 131047


def test_the_log_gateway_hides_the_number(caplog):
    with caplog.at_level(logging.INFO, logger="tanggap.notifications.gateways"):
        message_id = LogGateway("sms").send_text(to="6281200001234", text="Laporan TGP-1")

    assert message_id.startswith("log-")
    assert "6281200001234" not in caplog.text and "**********234" in caplog.text


def test_settings_choose_the_adapter(settings):
    assert isinstance(sms_gateway(), LogGateway) and isinstance(whatsapp_gateway(), LogGateway)
    settings.TANGGAP_SMS_GATEWAY = "http"
    settings.TANGGAP_SMS_HTTP_URL = "https://sms.example/send"
    settings.TANGGAP_SMS_HTTP_SECRET = SECRET
    assert isinstance(sms_gateway(), SignedJSONGateway)
    settings.TANGGAP_WHATSAPP_GATEWAY = "cloud"
    with pytest.raises(GatewayError, match="not configured"):
        whatsapp_gateway()
    settings.TANGGAP_SMS_GATEWAY = "pigeon"
    with pytest.raises(GatewayError, match="unknown"):
        sms_gateway()


def test_signatures_bind_the_time_and_the_body():
    body = b'{"id": "1"}'
    good = signature(SECRET, "1763800000", body)

    assert signature_valid(SECRET, "1763800000", body, good, now=1763800100)
    assert not signature_valid(SECRET, "1763800000", body, good, now=1763800301)
    assert not signature_valid(SECRET, "1763800001", body, good, now=1763800100)
    assert not signature_valid(SECRET, "1763800000", body + b" ", good, now=1763800100)
    assert not signature_valid("", "1763800000", body, good, now=1763800100)
    assert not body_signature_valid(SECRET, body, "")
