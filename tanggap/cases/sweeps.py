"""The deadline sweep of one case: remind, escalate a breach, or close a reporter's window.

A case carries its own agenda (``next_sweep_at``, ``sweep_stage``; see ADR 0006 and
``workflow.schedule_sweep``). ``case_sweep`` locks the case, re-reads the agenda and does what
is due, in one transaction; whatever it does moves the agenda on, so a second or concurrent
run finds nothing left to do.
"""

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .calendar import calendar_for
from .choices import CLOSED_STATUSES, UNIT_STEPS, CaseStatus, EventKind, Step
from .events import case_event_record
from .flags import case_flags_refresh
from .models import Case
from .notify import staff_notify
from .policies import policy_for
from .workdays import add_working_days
from .workflow import (
    case_escalate,
    case_handlers,
    case_resolve,
    case_withdraw,
    schedule_sweep,
    supervisors_of,
)

logger = logging.getLogger(__name__)

REMIND, BREACH, SECOND, EXPIRE = "remind", "breach", "second", "expire"
# Fields the sweep itself changes; a transition it calls saves its own.
AGENDA_FIELDS = ["breaches", "next_sweep_at", "sweep_stage", "updated_at"]


def case_sweep(*, case_id: int, now: datetime | None = None) -> str:
    """Do what the case's agenda has due at *now*; return the stage done, or "" for nothing.

    Safe to run twice and concurrently: the agenda is re-checked under the row lock and moved
    on in the same transaction as the events and the outbox rows it writes.
    """
    now = now or timezone.now()
    with transaction.atomic():
        case = (
            # Lock the case only: its unit row stays free for the unit's other cases.
            Case.objects.select_for_update(of=("self",))
            .select_related("unit")
            .filter(pk=case_id)
            .first()
        )
        if case is None or case.next_sweep_at is None or case.next_sweep_at > now:
            return ""
        if case.status in CLOSED_STATUSES:
            # A closed case has no deadline; a stale agenda is cleared and nothing else done.
            _stop(case)
            return ""
        stage = case.sweep_stage
        action = _STAGES.get(stage)
        if action is None:
            logger.warning("case %s: unknown sweep stage %r, agenda cleared", case.pk, stage)
            _stop(case)
            return ""
        return action(case, now)


def _stop(case: Case) -> None:
    case.next_sweep_at, case.sweep_stage = None, ""
    case.save(update_fields=AGENDA_FIELDS)


def _replan(case: Case) -> None:
    schedule_sweep(case)
    case.save(update_fields=AGENDA_FIELDS)


def _unit_clock_running(case: Case) -> bool:
    """Return whether the case's deadline is the unit's own (not paused, not the reporter's)."""
    return (
        case.due_step in UNIT_STEPS
        and case.due_at is not None
        and case.status != CaseStatus.WAITING_CITIZEN
    )


def _step_label(case: Case) -> str:
    return Step(case.due_step).label if case.due_step else ""


def _remind(case: Case, now: datetime) -> str:
    """Tell the handler a unit deadline is near; then wait for the deadline itself."""
    if not _unit_clock_running(case):
        _stop(case)
        return ""
    if case.due_at < now:
        # The sweep came too late for a reminder: the deadline has passed already.
        return _breach(case, now)
    event = case_event_record(
        case=case,
        kind=EventKind.REMINDER,
        is_public=False,
        # Not "due_step"/"due_at": those keys mark a change of step for the flag detector.
        data={"step": case.due_step, "due": case.due_at.isoformat()},
    )
    staff_notify(case=case, event=event, users=_handlers(case))
    case.next_sweep_at, case.sweep_stage = case.due_at, BREACH
    case.save(update_fields=AGENDA_FIELDS)
    return REMIND


def _handlers(case: Case) -> list:
    """Return who must act: the case's handlers, else the unit's supervisors."""
    return case_handlers(case) or list(supervisors_of(case.unit, level=1))


def _breach(case: Case, now: datetime) -> str:
    """Escalate a unit step past its deadline and flag undue delay; plan the second level."""
    if not _unit_clock_running(case):
        _stop(case)
        return ""
    if case.due_at >= now:
        # The deadline moved later without a new agenda: plan again from it.
        _replan(case)
        return ""
    case.breaches += 1
    case_escalate(
        case=case,
        level=min(case.breaches, 2),
        reason=_("The deadline for “%(step)s” has passed.") % {"step": _step_label(case)},
    )
    case_flags_refresh(case=case, now=now)
    policy = policy_for(case.unit, kind=case.kind, priority=case.priority)
    calendar = calendar_for(case.unit, around=case.due_at.astimezone(case.unit.tz).date())
    grace = policy.escalation_grace_days
    case.next_sweep_at = add_working_days(case.due_at, grace, calendar)
    if case.next_sweep_at <= now:
        # A sweep this late (a worker down, a first run) still gives the first level its grace.
        case.next_sweep_at = add_working_days(now, grace, calendar)
    case.sweep_stage = SECOND
    case.save(update_fields=AGENDA_FIELDS)
    return BREACH


def _second(case: Case, now: datetime) -> str:
    """Escalate a step still overdue after the grace to the parent unit's supervisors."""
    if not _unit_clock_running(case):
        _stop(case)
        return ""
    if case.due_at >= now:
        _replan(case)
        return ""
    case_escalate(
        case=case,
        level=2,
        reason=_("The deadline for “%(step)s” has passed and the step is still not done.")
        % {"step": _step_label(case)},
    )
    _stop(case)
    return SECOND


def _expire(case: Case, now: datetime) -> str:
    """Close a reporter's window: silence after a reply resolves; missing information withdraws."""
    if case.due_at is None:
        _stop(case)
        return ""
    if case.due_at >= now:
        _replan(case)
        return ""
    if case.due_step == Step.CITIZEN_REPLY and case.status == CaseStatus.RESPONDED:
        policy = policy_for(case.unit, kind=case.kind, priority=case.priority)
        note = _(
            "We received no answer to our reply within %(days)d days, so the report is "
            "considered resolved. You are welcome to send a new report if the problem remains."
        ) % {"days": policy.citizen_reply_days}
        case_resolve(case=case, by=None, how="silence", note=note)
        return EXPIRE
    if case.due_step == Step.CITIZEN_INFORMATION and case.status == CaseStatus.WAITING_CITIZEN:
        case_withdraw(case=case, by=None)
        return EXPIRE
    _stop(case)
    return ""


_STAGES = {REMIND: _remind, BREACH: _breach, SECOND: _second, EXPIRE: _expire}
