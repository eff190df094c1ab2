"""Gateway secrets and business numbers of the personas' units."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tanggap.integrations.webhooks.choices import MessagingChannel

from .factories import APP_SECRET, SMS_SECRET, MessagingNumberFactory


@pytest.fixture(autouse=True)
def gateway_secrets(settings):
    settings.TANGGAP_WHATSAPP_APP_SECRET = APP_SECRET
    settings.TANGGAP_WHATSAPP_VERIFY_TOKEN = "verify-me"  # noqa: S105 - test value
    settings.TANGGAP_SMS_WEBHOOK_SECRET = SMS_SECRET
    return settings


@pytest.fixture
def wa_number(spkt):
    """The SPKT's WhatsApp number."""
    return MessagingNumberFactory(unit=spkt)


@pytest.fixture
def sms_number(dpmptsp):
    """The licensing office's SMS number, as the gateway names it."""
    return MessagingNumberFactory(unit=dpmptsp, channel=MessagingChannel.SMS, identifier="1708")


class FakePeer:
    """A local HTTP server standing in for the Graph API, an SMS gateway or a receiver.

    It records every request and answers by ``routes`` (path to status, JSON or bytes,
    headers), else from ``answers`` in order, then with ``default`` (a Graph API success
    when None).
    """

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[tuple[int, dict, dict]] = []
        # Fixed answers by path (a media download), whatever the order of requests.
        self.routes: dict[str, tuple[int, dict | bytes, dict]] = {}
        # By default a Graph API success, with a new message id each time.
        self.default: tuple[int, dict, dict] | None = None
        peer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the http.server interface
                self.do_POST()

            def do_POST(self):  # noqa: N802 - the http.server interface
                length = int(self.headers.get("Content-Length") or 0)
                peer.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": self.rfile.read(length),
                    }
                )
                status, payload, headers = (
                    peer.routes.get(self.path)
                    or (peer.answers.pop(0) if peer.answers else None)
                    or peer.default
                    or (200, {"messages": [{"id": f"wamid.OUT.{len(peer.requests)}"}]}, {})
                )
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def json(self, n: int) -> dict:
        return json.loads(self.requests[n]["body"])


@pytest.fixture
def peer():
    """A fake HTTP peer on 127.0.0.1, shut down after the test."""
    server = FakePeer()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def graph_api(peer, settings):
    """Send WhatsApp through the Cloud API adapter to a fake Graph API."""
    settings.TANGGAP_WHATSAPP_GATEWAY = "cloud"
    settings.TANGGAP_WHATSAPP_TOKEN = "graph-token-for-tests"  # noqa: S105 - test value
    settings.TANGGAP_WHATSAPP_PHONE_NUMBER_ID = "999"
    settings.TANGGAP_WHATSAPP_API_URL = peer.url
    return peer
