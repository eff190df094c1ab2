"""The API's shared machinery: one error format, cursor pages, body limits, rate limits.

Every error answers ``{"error": {"code", "message", "fields": [{"field", "message"}]}}``
with a translated message; the language is the one the client asks for in Accept-Language.
"""

import inspect
import json
import logging
import math
from datetime import timedelta
from functools import wraps
from typing import Annotated

from django.conf import settings
from django.http import Http404, HttpRequest, JsonResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.throttling import BaseThrottle
from pydantic import AfterValidator

from .addresses import client_address
from .exceptions import ApplicationError
from .pagination import _decode
from .throttle import throttle_count, throttle_locked_until

logger = logging.getLogger(__name__)

PAGE_DEFAULT = 25
PAGE_MAX = 100


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL; Django forms refuse it, values not passing a form here.
    if "\x00" in value:
        raise ValueError("NUL character")
    return value


# A string field that is stored without passing through a Django form.
PlainText = Annotated[str, AfterValidator(_no_nul)]


class FieldError(Schema):
    field: str
    message: str


class ErrorBody(Schema):
    code: str
    message: str
    fields: list[FieldError] = []


class ErrorOut(Schema):
    """The one error format of the API."""

    error: ErrorBody


# The error answers every operation may give, for its OpenAPI document.
COMMON_ERRORS = {400: ErrorOut, 413: ErrorOut, 422: ErrorOut, 429: ErrorOut}
AUTH_ERRORS = COMMON_ERRORS | {401: ErrorOut, 404: ErrorOut}


def max_body_bytes() -> int:
    return getattr(settings, "API_MAX_BODY_BYTES", 64 * 1024)


def error_response(
    status: int, code: str, message, *, fields: list[dict] | None = None, headers=None
) -> JsonResponse:
    """Return an error in the API's one format."""
    body = {"error": {"code": code, "message": str(message), "fields": fields or []}}
    return JsonResponse(body, status=status, headers=headers, json_dumps_params={"ensure_ascii": 0})


def _field_message(error: dict) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in ("string_too_short", "too_short"):
        return _("Ensure this value has at least %(n)s characters.") % {
            "n": ctx.get("min_length", "?")
        }
    if kind in ("string_too_long", "too_long"):
        return _("Ensure this value has at most %(n)s characters.") % {
            "n": ctx.get("max_length", "?")
        }
    if kind.startswith(("int_", "float_", "decimal_")):
        return _("Enter a valid number in the allowed range.")
    if kind in ("uuid_parsing", "uuid_type", "uuid_version"):
        return _("Enter a valid UUID.")
    if kind.startswith(("datetime_", "date_")):
        return _("Enter a valid date and time (ISO 8601).")
    if kind in ("enum", "literal_error"):
        return _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind in ("bool_parsing", "bool_type"):
        return _("Enter true or false.")
    return _("This value is not valid.")


def _field_name(loc) -> str:
    # ("body", "data", "title") → "title": the source and the body's parameter name go.
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in ("data", "payload", "filters"):
        parts = parts[1:]
    return ".".join(parts) or "body"


def form_errors(form) -> list[dict]:
    """Return a Django form's errors as the API's field list."""
    return [
        {"field": name if name != "__all__" else "body", "message": str(message)}
        for name, messages in form.errors.items()
        for message in messages
    ]


def on_validation_error(request, exc: ValidationError):
    fields = [
        {"field": _field_name(e.get("loc", ())), "message": _field_message(e)} for e in exc.errors
    ]
    return error_response(422, "invalid", _("Some fields are not valid."), fields=fields)


def on_application_error(request, exc: ApplicationError):
    status = {"conflict": 409, "forbidden": 403, "locked": 429, "rate_limited": 429}
    return error_response(status.get(exc.code, 400), exc.code, exc.message)


def on_http_error(request, exc: HttpError):
    if isinstance(exc, Throttled):
        return error_response(
            429, "rate_limited", _("Too many requests. Wait a moment and try again.")
        )
    if isinstance(exc, AuthenticationError):
        return error_response(
            401,
            "unauthorized",
            _("Give a valid, unexpired API token: “Authorization: Bearer <token>”."),
            headers={"WWW-Authenticate": "Bearer"},
        )
    if exc.status_code == 400:
        return error_response(400, "malformed", _("The request body is not valid JSON."))
    return error_response(exc.status_code, "error", exc.message)


def on_not_found(request, exc):
    return error_response(404, "not_found", _("Not found, or not within your units."))


def unknown_path(request, rest: str):
    """Answer a path the API does not have."""
    return error_response(404, "not_found", _("The API has no such path."))


def on_server_error(request, exc):
    logger.exception("API error", exc_info=exc)
    return error_response(500, "server_error", _("Something went wrong on our side."))


def install_error_handlers(api) -> None:
    """Make every error of *api* answer in the one error format."""
    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(ApplicationError, on_application_error)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(Exception, on_server_error)


class DatabaseRateThrottle(BaseThrottle):
    """Count requests per token (or per address without one) in the shared throttle table."""

    def __init__(self, *, setting: str, default: int, window: timedelta = timedelta(minutes=1)):
        self.setting, self.default, self.window = setting, default, window
        self.until = None

    def allow_request(self, request: HttpRequest) -> bool:
        token = getattr(request, "auth", None)
        ident = f"token:{token.pk}" if getattr(token, "pk", None) else client_address(request)
        key = f"api:{self.setting}:{ident}"
        if until := throttle_locked_until(key=key):
            self.until = until
            return False
        limit = getattr(settings, self.setting, self.default)
        throttle_count(key=key, limit=limit, window=self.window)
        return True

    def wait(self) -> float | None:
        if self.until is None:
            return None
        return max(1, math.ceil((self.until - timezone.now()).total_seconds()))


def api_language(run):
    """Answer in the client's language (Accept-Language, then the cookie, then Indonesian)."""

    @wraps(run)
    def wrapper(request, **kw):
        with translation.override(translation.get_language_from_request(request)):
            return run(request, **kw)

    return wrapper


def _own_limit(run) -> int | None:
    # View-mode decorators wrap Operation.run; an operation's view may declare its own limit.
    operation = getattr(inspect.unwrap(run), "__self__", None)
    return getattr(getattr(operation, "view_func", None), "max_body_bytes", None)


def body_limit(run):
    """Refuse a body above the API's limit (or the operation's own) before anything reads it."""
    own = _own_limit(run)

    @wraps(run)
    def wrapper(request, **kw):
        limit = own or max_body_bytes()
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit or (
            request.method in ("POST", "PUT", "PATCH") and len(request.body) > limit
        ):
            return error_response(
                413,
                "too_large",
                _("The request body is larger than %(n)d bytes.") % {"n": limit},
            )
        return run(request, **kw)

    return wrapper


def json_body(response) -> str:
    """Return the text of a JSON response, for storing it."""
    return response.content.decode()


def json_replay(body: str, status: int) -> JsonResponse:
    """Return a stored JSON answer again, marked as a replay."""
    response = JsonResponse(json.loads(body or "null"), status=status, safe=False)
    response["Idempotent-Replayed"] = "true"
    return response


def checked_cursor(cursor: str | None) -> str | None:
    """Return *cursor* when it is one this API issued, or raise a translated error."""
    if not cursor:
        return None
    decoded = _decode(cursor) if len(cursor) <= 200 else None
    if decoded is not None:
        value, pk = decoded
        if 0 < pk < 2**62 and (value is None or timezone.is_aware(value)):
            return cursor
    raise ApplicationError(
        _("This page cursor is not valid: start from the first page."), code="cursor"
    )
