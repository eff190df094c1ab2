"""Identify a conversation: our own Message-IDs and tracking codes quoted in a subject."""

import re

from django.utils.crypto import constant_time_compare, salted_hmac

from tanggap.intake.tracking import normalize_tracking_code

_OURS = re.compile(r"^tanggap\.n(\d{1,18})\.([0-9a-f]{16})@")
_CODE = re.compile(r"\bTGP[\s\-_.]?[0-9A-Z]{4}[\s\-_.]?[0-9A-Z]{4}\b", re.I)


def _signature(notification_id: int) -> str:
    return salted_hmac(
        "tanggap.email_ingest.message_id", str(notification_id), algorithm="sha256"
    ).hexdigest()[:16]


def outgoing_message_id(notification_id: int, domain: str) -> str:
    """Return the Message-ID (without brackets) of our mail for one notification.

    Stable, so a retried delivery is the same message; signed, so a reply naming it can be
    traced back to the notification without a table of sent ids.
    """
    return f"tanggap.n{notification_id}.{_signature(notification_id)}@{domain}"


def notification_of(message_id: str) -> int | None:
    """Return the notification id behind one of our Message-IDs, or None for anyone else's."""
    found = _OURS.match(message_id)
    if found and constant_time_compare(found.group(2), _signature(int(found.group(1)))):
        return int(found.group(1))
    return None


def tracking_codes_in(text: str) -> list[str]:
    """Return the valid tracking codes written in *text* (a subject), canonical, in order."""
    codes = (normalize_tracking_code(m) for m in _CODE.findall(text[:1000]))
    return list(dict.fromkeys(c for c in codes if c))
