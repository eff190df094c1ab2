"""Writes to cases: every change goes through one of these functions."""

from datetime import datetime

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat
from django.utils import timezone

from tanggap.accounts.models import Category, Service, Unit

from .calendar import calendar_for
from .choices import CaseStatus, EventKind, Step
from .deadlines import due_at
from .events import case_event_record
from .models import Case


@transaction.atomic
def case_open(
    *,
    unit: Unit,
    reference: str,
    kind: str,
    channel: str,
    title: str,
    text: str = "",
    category: Category | None = None,
    service: Service | None = None,
    is_confidential: bool = False,
    received_at: datetime | None = None,
    actor=None,
) -> Case:
    """Open a case in "received" with its verification deadline and the first event."""
    received_at = received_at or timezone.now()
    local_day = received_at.astimezone(unit.tz).date()
    case = Case.objects.create(
        organisation_id=unit.organisation_id,
        unit=unit,
        reference=reference,
        kind=kind,
        channel=channel,
        title=title,
        search_text=f"{title}\n{text}",
        category=category,
        service=service,
        is_confidential=is_confidential,
        received_at=received_at,
        status=CaseStatus.RECEIVED,
        due_step=Step.VERIFICATION,
        due_at=due_at(Step.VERIFICATION, received_at, calendar_for(unit, around=local_day)),
    )
    case_event_record(
        case=case,
        kind=EventKind.RECEIVED,
        actor=actor,
        at=received_at,
        data={"channel": channel, "due_at": case.due_at.isoformat()},
    )
    return case


def case_text_add(*, case: Case, text: str) -> None:
    """Add a reporter's further text to the case's search document."""
    Case.objects.filter(pk=case.pk).update(search_text=Concat("search_text", Value("\n" + text)))
