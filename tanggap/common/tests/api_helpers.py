"""Calling the JSON API through the Django test client, as a client program would."""

import json
import uuid

from tanggap.accounts.api_tokens import api_token_create

BASE = "/api/v1"


def issue_token(user, *units, days: int = 30) -> str:
    """Issue a token for *user* on *units* through the service; return the raw token."""
    return api_token_create(user=user, name="tes", units=list(units), days=days).raw


def headers(token: str | None = None, key: str | None = None, **extra) -> dict:
    found = dict(extra)
    if token:
        found["Authorization"] = f"Bearer {token}"
    if key is not None:
        found["Idempotency-Key"] = key
    return found


def post(client, path: str, data, *, token=None, key: str | None = "new", **extra):
    """POST *data* as JSON; key "new" sends a fresh Idempotency-Key, None sends none."""
    if key == "new":
        key = str(uuid.uuid4())
    body = data if isinstance(data, (str, bytes)) else json.dumps(data)
    return client.post(
        BASE + path, body, content_type="application/json", headers=headers(token, key, **extra)
    )


def get(client, path: str, *, token=None, **params):
    return client.get(BASE + path, params, headers=headers(token))
