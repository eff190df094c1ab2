"""Recording case events: the only writer of CaseEvent."""

from tanggap.common.origin import current_origin

from .models import Case, CaseEvent


def case_event_record(
    *,
    case: Case,
    kind: str,
    actor=None,
    is_public: bool = True,
    message: str = "",
    data: dict | None = None,
    at=None,
    origin: str | None = None,
) -> CaseEvent:
    """Append one event to *case*'s log, with where the act came from."""
    fields = {"at": at} if at else {}
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor,
        is_public=is_public,
        message=message,
        data=data or {},
        origin=(origin or current_origin())[:64],
        **fields,
    )
