"""The JSON a subscriber receives for a case event: public facts only, no person, no text.

Pure. No reporter contact, no title or message written by anyone (they may name people), no
internal note; of a confidential case only its reference and status.
"""

PAYLOAD_VERSION = 1


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def event_payload(event, case) -> dict:
    """Return the body sent to subscribers for *event* of *case*."""
    body = {
        "version": PAYLOAD_VERSION,
        "event": {"id": event.pk, "kind": event.kind, "at": _iso(event.at)},
        "case": {"reference": case.reference, "status": case.status},
    }
    if case.is_confidential:
        return body
    body["case"].update(
        {
            "kind": case.kind,
            "channel": case.channel,
            "priority": case.priority,
            "unit": {"id": case.unit_id, "name": case.unit.name},
            "category": case.category.name if case.category_id else None,
            "service": case.service.name if case.service_id else None,
            "received_at": _iso(case.received_at),
            "due_at": _iso(case.due_at),
            "due_step": case.due_step or None,
            "closed_at": _iso(case.closed_at),
        }
    )
    return body
