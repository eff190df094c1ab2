"""HMAC-SHA256 signatures of JSON bodies exchanged with gateways and webhook receivers.

The signed text is ``"<timestamp>.<body>"``: binding the time to the body lets a receiver
refuse an old request replayed with its original signature.
"""

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Tanggap-Signature"
TIMESTAMP_HEADER = "X-Tanggap-Timestamp"
# How far a request's timestamp may be from our clock, either way.
TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """Return the signature header value ("sha256=<hex>") of *body* sent at *timestamp*."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signed_headers(secret: str, body: bytes, *, now: float | None = None) -> dict[str, str]:
    """Return the timestamp and signature headers for sending *body* now."""
    timestamp = str(int(now if now is not None else time.time()))
    return {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: signature(secret, timestamp, body)}


def signature_valid(
    secret: str, timestamp: str, body: bytes, given: str, *, now: float | None = None
) -> bool:
    """Say whether *given* signs *body* at *timestamp* with *secret*, within the tolerance."""
    if not secret or not given or not timestamp.isdigit():
        return False
    now = now if now is not None else time.time()
    if abs(now - int(timestamp)) > TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), given.strip())


def body_signature(secret: str, body: bytes) -> str:
    """Return "sha256=<hex HMAC-SHA256 of body>", the scheme of Meta's X-Hub-Signature-256."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def body_signature_valid(app_secret: str, body: bytes, given: str) -> bool:
    """Say whether *given* is the body signature of *body* under *app_secret* (no timestamp)."""
    if not app_secret or not given:
        return False
    return hmac.compare_digest(body_signature(app_secret, body), given.strip())
