"""Where the current act comes from (a client address or "system"), for the audit trail."""

from contextvars import ContextVar

from .addresses import client_address

_origin: ContextVar[str] = ContextVar("tanggap_origin", default="system")


def current_origin() -> str:
    """Return the client address of the request being served, or "system" outside requests."""
    return _origin.get()


class OriginMiddleware:
    """Remember the client's address while a request is served, so events record it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _origin.set(client_address(request)[:64])
        try:
            return self.get_response(request)
        finally:
            _origin.reset(token)
