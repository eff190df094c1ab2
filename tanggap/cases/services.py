"""Writes to cases: every change goes through one of these functions."""

from datetime import datetime

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat
from django.utils import timezone

from tanggap.accounts.models import Category, Service, Unit
from tanggap.common.exceptions import ApplicationError

from .calendar import calendar_for
from .choices import CaseStatus, EventKind, Step
from .duplicates import case_keys_add
from .events import case_event_record
from .models import Case
from .policies import policy_for, step_due
from .routing import least_busy, officers_on_duty, rule_for
from .workflow import case_assign, schedule_sweep


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
    location_text: str = "",
    priority: str = "normal",
    route: bool = True,
) -> Case:
    """Open a case in "received" with its verification deadline and the first event.

    A matching routing rule then disposes it at once; at a 24-hour unit the least busy
    officer on duty takes it. With *route* off (a record imported already finished) neither
    happens, so nobody is handed or alerted about a case that is about to be archived.
    """
    received_at = received_at or timezone.now()
    local_day = received_at.astimezone(unit.tz).date()
    policy = policy_for(unit, kind=kind, priority=priority)
    calendar = calendar_for(unit, around=local_day)
    case = Case(
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
        priority=priority,
        due_step=Step.VERIFICATION,
        due_at=step_due(Step.VERIFICATION, received_at, calendar, policy),
    )
    schedule_sweep(case, policy)
    if (
        route
        and unit.open_24h
        and (officer := least_busy(s.officer for s in officers_on_duty(unit)))
    ):
        case.assignee = officer
    case.save()
    case_keys_add(case=case, text=case.search_text)
    data = {
        "channel": channel,
        "status": case.status,
        "due_step": case.due_step,
        "due_at": case.due_at.isoformat(),
    }
    if case.assignee_id:
        data |= {"officer": case.assignee_id, "roster": True}
    case_event_record(case=case, kind=EventKind.RECEIVED, actor=actor, at=received_at, data=data)
    if route and (rule := rule_for(case, location_text=location_text)):
        try:
            with transaction.atomic():
                case = case_assign(
                    case=case,
                    by=None,
                    unit=rule.target_unit,
                    officer=rule.target_officer,
                    rule=rule,
                )
        except ApplicationError as exc:
            # A stale rule must never cost the citizen their report: it stays in the queue.
            case_event_record(
                case=case,
                kind=EventKind.NOTE,
                is_public=False,
                message=f"{rule.name}: {exc.message}",
                data={"rule": rule.name},
            )
    return case


def case_text_add(*, case: Case, text: str) -> None:
    """Add a reporter's further text to the case's search document and duplicate keys."""
    Case.objects.filter(pk=case.pk).update(search_text=Concat("search_text", Value("\n" + text)))
    case_keys_add(case=case, text=text)
