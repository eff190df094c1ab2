"""The Idempotency-Key rule of the API: every POST carries one; a repeat gets the first answer."""

import hashlib
import re
import uuid
from functools import wraps

from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from .api import error_response, json_body, json_replay
from .idempotency import idempotency_claim, idempotency_release, idempotency_store

HEADER = "Idempotency-Key"
KEY_PATTERN = r"^[\x21-\x7e]{8,200}$"
_KEY = re.compile(KEY_PATTERN)


def _scope(request) -> str:
    # Keys are per caller: the same key from two tokens (or a token and the public) never meet.
    caller = request.headers.get("Authorization", "") or "public"
    return salted_hmac("tanggap.common.idempotency", caller, algorithm="sha256").hexdigest()


def _fingerprint(request) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    if request.content_type != "multipart/form-data":
        digest.update(request.body)
        return digest.hexdigest()
    # A client rebuilding a multipart body for its retry picks a new boundary: compare the parts.
    for name, values in sorted(request.POST.lists()):
        digest.update(repr((name, values)).encode())
    for name, files in sorted(request.FILES.lists()):
        for upload in files:
            content = hashlib.sha256(upload.read()).hexdigest()
            upload.seek(0)
            digest.update(repr((name, upload.name, content)).encode())
    return digest.hexdigest()


def idempotent(run):
    """Run a POST once per Idempotency-Key; store a success and replay it to a repeat.

    A refused request (any status outside 2xx) is not stored: a corrected retry may use the
    same key. The same key with a different body or path is refused.
    """

    @wraps(run)
    def wrapper(request, **kw):
        if request.method != "POST":
            return run(request, **kw)
        key = request.headers.get(HEADER, "")
        if not _KEY.match(key):
            return error_response(
                400,
                "idempotency_key",
                _(
                    "Every POST needs an Idempotency-Key header: 8 to 200 visible ASCII "
                    "characters, for example a new UUID for each new request."
                ),
            )
        claim = idempotency_claim(scope=_scope(request), key=key, fingerprint=_fingerprint(request))
        if claim.state == "replay":
            return json_replay(claim.body, claim.record.status_code)
        if claim.state == "mismatch":
            return error_response(
                422,
                "idempotency_key_reused",
                _("This Idempotency-Key was used for a different request. Use a new key."),
            )
        if claim.state == "running":
            return error_response(
                409,
                "idempotency_in_progress",
                _("A request with this Idempotency-Key is still running. Retry in a moment."),
            )
        try:
            response = run(request, **kw)
        except BaseException:
            idempotency_release(record=claim.record)
            raise
        if 200 <= response.status_code < 300:
            idempotency_store(
                record=claim.record, status_code=response.status_code, body=json_body(response)
            )
        else:
            idempotency_release(record=claim.record)
        return response

    return wrapper


def request_uuid(request):
    """Return a UUID fixed by the caller and its Idempotency-Key, for services' own keys."""
    name = f"{_scope(request)}:{request.headers.get(HEADER, '')}"
    return uuid.uuid5(uuid.NAMESPACE_URL, f"tanggap:idempotency:{name}")
