"""API keys and request tokens: drawing them and the digest a key is stored under."""

import secrets

from django.utils.crypto import salted_hmac

KEY_PREFIX = "t311_"


def key_digest(raw: str) -> str:
    """Return the keyed digest (HMAC with the server secret) a key is stored and found under."""
    return salted_hmac("tanggap.open311.api_key", raw, algorithm="sha256").hexdigest()


def new_key() -> str:
    """Return a new random API key."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def new_token() -> str:
    """Return a new request token: unguessable, so it reveals nothing to whoever lacks it."""
    return secrets.token_urlsafe(24)
