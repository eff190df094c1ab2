"""The client's address for rate limits, honest about reverse proxies."""

from django.conf import settings


def client_address(request) -> str:
    """Return the client's address; X-Forwarded-For counts only behind configured proxies."""
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    # Each trusted proxy appends the address it saw; the one before them is the client's.
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "unknown")
