"""The case's transitions: one service per transition of the table in choices.py.

Each service locks the case row, refuses a stale form (optimistic version), checks the
table and the actor's right, writes the new status and deadline, records the event and
queues the notifications, all in one transaction.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tanggap.accounts.models import Membership, Unit, User
from tanggap.accounts.roles import Capability, Role
from tanggap.accounts.scoping import user_can
from tanggap.common.exceptions import ApplicationError

from .calendar import calendar_for
from .choices import (
    CLOSED_STATUSES,
    TRANSITION_EVENTS,
    TRANSITIONS,
    UNIT_STEPS,
    CaseStatus,
    Complexity,
    EventKind,
    Priority,
    RejectReason,
    ReportKind,
    Step,
    Transition,
)
from .events import case_event_record
from .flags import case_flags_refresh
from .models import Case, CaseEvent
from .notify import reporters_notify, staff_notify
from .policies import policy_for, reminder_at, step_due
from .workdays import extend_by_pause

# What each transition requires of a staff actor; None means the reporter or the system.
REQUIRED: dict[str, str] = {
    Transition.VERIFY: Capability.HANDLE_CASES,
    Transition.ASSIGN: Capability.HANDLE_CASES,
    Transition.START: Capability.HANDLE_CASES,
    Transition.REQUEST_INFORMATION: Capability.HANDLE_CASES,
    Transition.INFORMATION_RECEIVED: Capability.HANDLE_CASES,
    Transition.RESPOND: Capability.HANDLE_CASES,
    Transition.RESOLVE: Capability.HANDLE_CASES,
    Transition.REOPEN: Capability.SUPERVISE_CASES,
    Transition.REJECT: Capability.HANDLE_CASES,
    Transition.WITHDRAW: Capability.HANDLE_CASES,
    Transition.ARCHIVE: Capability.SUPERVISE_CASES,
}


# The columns a transition may change; saved together so a transition is one UPDATE.
HANDLING_FIELDS = [
    "status",
    "version",
    "unit",
    "assignee",
    "complexity",
    "due_step",
    "due_at",
    "next_sweep_at",
    "sweep_stage",
    "reject_reason",
    "status_before_wait",
    "paused_at",
    "paused_step",
    "paused_due_at",
    "verified_at",
    "first_replied_at",
    "responded_at",
    "closed_at",
    "updated_at",
]


def _lock(case: Case, version: int | None) -> Case:
    """Return *case* re-read under a row lock; refuse if it changed since the form was shown."""
    # of=("self",): lock the case only, not its unit (other cases of the unit go on).
    fresh = Case.objects.select_for_update(of=("self",)).select_related("unit").get(pk=case.pk)
    if version is not None and fresh.version != version:
        raise ApplicationError(
            _(
                "Someone else changed this case a moment ago. "
                "Reload it to see what changed, then try again."
            ),
            code="conflict",
        )
    return fresh


def _require(by, capability: str, case: Case) -> None:
    if by is not None and not user_can(by, capability, case.unit):
        raise ApplicationError(_("Your role may not do this on this case."), code="forbidden")


def _check(case: Case, transition: str, by) -> str | None:
    """Refuse a transition the table does not allow from the case's status, or the actor's role."""
    sources, target = TRANSITIONS[transition]
    if case.status not in sources:
        raise ApplicationError(
            _("A case that is “%(status)s” cannot be given “%(action)s”.")
            % {
                "status": CaseStatus(case.status).label,
                "action": Transition(transition).label,
            },
            code="illegal_transition",
        )
    _require(by, REQUIRED[transition], case)
    return target


def _set_due(case: Case, step: str | None, start: datetime | None = None) -> None:
    """Store the deadline of *step* (none when closed) and the sweep's next look at the case."""
    if not step:
        case.due_step, case.due_at = "", None
        case.next_sweep_at, case.sweep_stage = None, ""
        return
    start = start or timezone.now()
    policy = policy_for(case.unit, kind=case.kind, priority=case.priority)
    calendar = calendar_for(case.unit, around=start.astimezone(case.unit.tz).date())
    case.due_step = step
    case.due_at = step_due(step, start, calendar, policy, case.complexity)
    schedule_sweep(case, policy)


def schedule_sweep(case: Case, policy=None) -> None:
    """Plan the sweep's next look: a reminder before a unit deadline, then the deadline itself."""
    if case.due_at is None:
        case.next_sweep_at, case.sweep_stage = None, ""
        return
    if case.due_step in UNIT_STEPS:
        policy = policy or policy_for(case.unit, kind=case.kind, priority=case.priority)
        remind = reminder_at(case.due_at, policy)
        if remind > timezone.now():
            case.next_sweep_at, case.sweep_stage = remind, "remind"
            return
        case.next_sweep_at, case.sweep_stage = case.due_at, "breach"
        return
    case.next_sweep_at, case.sweep_stage = case.due_at, "expire"


def _due_data(case: Case) -> dict:
    return {
        "status": case.status,
        "due_step": case.due_step,
        "due_at": case.due_at.isoformat() if case.due_at else None,
    }


def _commit(
    case: Case,
    transition: str,
    target: str,
    *,
    by,
    message: str = "",
    data: dict | None = None,
    public: bool = True,
    notify: bool = True,
    staff_note: str = "",
) -> CaseEvent:
    """Save the new status and deadline, record the event, queue the notices.

    *message* is what the reporter reads; *staff_note* (an instruction with a disposition,
    a verification remark) is kept as an internal note beside the event.
    """
    case.status = target
    case.version += 1
    case.save(update_fields=HANDLING_FIELDS)
    event = case_event_record(
        case=case,
        kind=TRANSITION_EVENTS[transition],
        actor=by,
        is_public=public,
        message=message,
        data=(data or {}) | _due_data(case),
    )
    if staff_note.strip():
        case_event_record(
            case=case,
            kind=EventKind.NOTE,
            actor=by,
            is_public=False,
            message=staff_note.strip(),
            data={"with": event.kind},
        )
    if public and notify:
        reporters_notify(case=case, event=event)
    return event


@transaction.atomic
def case_verify(
    *, case: Case, by, complexity: str | None = None, note: str = "", version=None
) -> Case:
    """Verify a received report: it is a matter for this organisation, classified by complexity."""
    case = _lock(case, version)
    target = _check(case, Transition.VERIFY, by)
    if complexity:
        case.complexity = Complexity(complexity)
    case.verified_at = timezone.now()
    _commit(case, Transition.VERIFY, target, by=by, staff_note=note, notify=False)
    return case


def _handlers_of(unit: Unit):
    return Membership.objects.filter(
        unit__in=Unit.objects.filter(
            path__in=_ancestor_paths(unit),
        ),
        role__in=[Role.OFFICER, Role.SUPERVISOR],
    )


def _ancestor_paths(unit: Unit) -> list[str]:
    ids = [i for i in unit.path.strip("/").split("/") if i]
    return ["/" + "/".join(ids[: n + 1]) + "/" for n in range(len(ids))]


@transaction.atomic
def case_assign(
    *,
    case: Case,
    by,
    unit: Unit | None = None,
    officer=None,
    note: str = "",
    version=None,
    rule=None,
    suggested_rank: int | None = None,
) -> Case:
    """Dispose a case down the unit tree to a sub-unit and/or an officer, with a note.

    The first disposition starts the first-reply clock; a later one keeps it, so moving a
    case about never buys time. *suggested_rank* (cases.suggestions) is kept in the event.
    """
    case = _lock(case, version)
    target = _check(case, Transition.ASSIGN, by)
    unit = unit or case.unit
    if unit.organisation_id != case.organisation_id:
        raise ApplicationError(_("Choose a unit of the same organisation."), code="unit")
    if by is not None and not user_can(by, Capability.HANDLE_CASES, unit):
        raise ApplicationError(
            _("You can dispose only to your own unit and the units below it."), code="unit"
        )
    if officer is not None and not _handlers_of(unit).filter(user=officer).exists():
        raise ApplicationError(
            _("%(name)s does not handle cases in %(unit)s.")
            % {"name": officer.get_full_name() or officer.username, "unit": unit.name},
            code="officer",
        )
    first = case.status in (CaseStatus.RECEIVED, CaseStatus.VERIFIED)
    previous_unit = case.unit
    case.unit, case.assignee = unit, officer
    if case.verified_at is None:
        case.verified_at = timezone.now()
    if first:
        _set_due(case, Step.FIRST_REPLY)
    data = {"unit": unit.pk, "unit_name": unit.name, "from_unit": previous_unit.pk}
    if officer is not None:
        data |= {"officer": officer.pk, "officer_name": officer.get_full_name() or officer.username}
    if rule is not None:
        data["rule"] = rule.name
    if suggested_rank is not None:
        data["suggested_rank"] = suggested_rank
    _commit(case, Transition.ASSIGN, target, by=by, staff_note=note, data=data)
    return case


@transaction.atomic
def case_start(*, case: Case, by, note: str = "", version=None) -> Case:
    """Start the follow-up (ditindaklanjuti); the assigned officer takes the case if none is."""
    case = _lock(case, version)
    target = _check(case, Transition.START, by)
    if case.assignee_id is None and by is not None:
        case.assignee = by
    if case.status == CaseStatus.REOPENED and not case.due_at:
        _set_due(case, Step.FIRST_REPLY)
    _commit(case, Transition.START, target, by=by, staff_note=note)
    return case


@transaction.atomic
def case_request_information(*, case: Case, by, message: str, version=None) -> Case:
    """Ask the reporter for missing information: the unit's clock pauses for up to 30 days."""
    message = message.strip()
    if len(message) < 10:
        raise ApplicationError(
            _("Tell the reporter what is missing (at least 10 characters)."), code="message"
        )
    case = _lock(case, version)
    target = _check(case, Transition.REQUEST_INFORMATION, by)
    case.status_before_wait = case.status
    case.paused_at = timezone.now()
    case.paused_step, case.paused_due_at = case.due_step, case.due_at
    _set_due(case, Step.CITIZEN_INFORMATION)
    _commit(case, Transition.REQUEST_INFORMATION, target, by=by, message=message)
    return case


@transaction.atomic
def case_information_received(*, case: Case, by=None, note: str = "") -> Case:
    """Resume a waiting case: it returns to its status and its paused deadline moves on."""
    case = _lock(case, None)
    _check(case, Transition.INFORMATION_RECEIVED, by)
    now = timezone.now()
    target = case.status_before_wait or CaseStatus.RECEIVED
    case.due_step = case.paused_step
    case.due_at = None
    if case.paused_due_at is not None:
        calendar = calendar_for(case.unit, around=now.astimezone(case.unit.tz).date())
        case.due_at = extend_by_pause(case.paused_due_at, case.paused_at, now, calendar)
    schedule_sweep(case)
    paused = {"paused_from": case.paused_at.isoformat() if case.paused_at else None}
    case.status_before_wait, case.paused_at, case.paused_step, case.paused_due_at = (
        "",
        None,
        "",
        None,
    )
    _commit(
        case,
        Transition.INFORMATION_RECEIVED,
        target,
        by=by,
        message=note,
        data=paused,
        notify=False,
    )
    return case


@transaction.atomic
def case_progress_update(*, case: Case, by, message: str, data: dict | None = None) -> CaseEvent:
    """Publish an interim reply: it meets the first-reply clock; resolution runs from receipt."""
    case = _lock(case, None)
    if case.status not in (
        CaseStatus.VERIFIED,
        CaseStatus.ASSIGNED,
        CaseStatus.IN_PROGRESS,
        CaseStatus.REOPENED,
    ):
        raise ApplicationError(
            _("A progress update needs a case being handled."), code="illegal_transition"
        )
    _require(by, Capability.HANDLE_CASES, case)
    now = timezone.now()
    case.first_replied_at = case.first_replied_at or now
    if case.due_step in (Step.FIRST_REPLY, Step.VERIFICATION):
        _set_due(case, Step.RESOLUTION, start=case.received_at)
        if case.due_at < now:
            _set_due(case, Step.RESOLUTION, start=now)
    case.version += 1
    case.save(update_fields=HANDLING_FIELDS)
    event = case_event_record(
        case=case,
        kind=EventKind.UPDATE,
        actor=by,
        message=message,
        data=(data or {}) | _due_data(case),
    )
    reporters_notify(case=case, event=event)
    return event


@transaction.atomic
def case_respond(*, case: Case, by, message: str, data: dict | None = None, version=None) -> Case:
    """Record the unit's reply to the reporter; their reply window (10 days) starts."""
    case = _lock(case, version)
    target = _check(case, Transition.RESPOND, by)
    now = timezone.now()
    case.first_replied_at = case.first_replied_at or now
    case.responded_at = now
    case.assignee = case.assignee or by
    _set_due(case, Step.CITIZEN_REPLY)
    _commit(case, Transition.RESPOND, target, by=by, message=message, data=data)
    case_flags_refresh(case=case)
    return case


def _close(case: Case) -> None:
    case.closed_at = timezone.now()
    _set_due(case, None)


@transaction.atomic
def case_resolve(
    *, case: Case, by=None, how: str = "officer", note: str = "", version=None
) -> Case:
    """Resolve: the reporter accepted, the reply window passed, or an officer closed it."""
    case = _lock(case, version)
    target = _check(case, Transition.RESOLVE, by)
    _close(case)
    _commit(case, Transition.RESOLVE, target, by=by, message=note, data={"how": how})
    case_flags_refresh(case=case)
    return case


@transaction.atomic
def case_reopen(*, case: Case, by=None, reason: str, note_to_staff: str = "", version=None) -> Case:
    """Reopen a reply the reporter contests (or a supervisor reopens); it is escalated.

    *reason* is public (every reporter of the case reads it); *note_to_staff*, such as the
    reporter's objection, goes only to the supervisors with the escalation.
    """
    case = _lock(case, version)
    target = _check(case, Transition.REOPEN, by)
    case.closed_at = None
    _set_due(case, Step.FIRST_REPLY)
    event = _commit(
        case,
        Transition.REOPEN,
        target,
        by=by,
        message=reason,
        data={"by": "reporter" if by is None else "staff"},
    )
    case_escalate(
        case=case, level=max(1, case.escalation_level), reason=note_to_staff or event.message
    )
    return case


@transaction.atomic
def case_reject(
    *,
    case: Case,
    by,
    reason: str,
    note: str,
    forwarded_to: str = "",
    version=None,
) -> Case:
    """Reject with a reason; "not within authority" must name the agency it is forwarded to."""
    note, forwarded_to = note.strip(), forwarded_to.strip()
    if reason not in RejectReason.values:
        raise ApplicationError(_("Choose a reason for the rejection."), code="reason")
    if reason == RejectReason.NOT_WITHIN_AUTHORITY and not forwarded_to:
        raise ApplicationError(
            _("Name the agency the report is forwarded to; the reporter is told."),
            code="forwarded_to",
        )
    if len(note) < 10:
        raise ApplicationError(
            _("Explain the rejection to the reporter (at least 10 characters)."), code="note"
        )
    case = _lock(case, version)
    target = _check(case, Transition.REJECT, by)
    case.reject_reason = reason
    _close(case)
    data = {"reason": reason, "forwarded_to": forwarded_to}
    _commit(case, Transition.REJECT, target, by=by, message=note, data=data)
    case_flags_refresh(case=case)
    return case


@transaction.atomic
def case_withdraw(*, case: Case, by=None, note: str = "", version=None) -> Case:
    """Withdraw a case whose reporter did not complete it in time (UU 25/2009 44(5))."""
    case = _lock(case, version)
    target = _check(case, Transition.WITHDRAW, by)
    _close(case)
    note = note or _(
        "The information we asked for did not arrive in time, so the report is considered "
        "withdrawn. You are welcome to send a new report."
    )
    _commit(case, Transition.WITHDRAW, target, by=by, message=note)
    return case


@transaction.atomic
def case_archive(
    *, case: Case, by, note: str = "", merged_into: Case | None = None, version=None
) -> Case:
    """Archive a case (LAPOR!'s "Arsipkan"); an open one archived without a reply is flagged."""
    case = _lock(case, version)
    target = _check(case, Transition.ARCHIVE, by)
    if case.closed_at is None:
        _close(case)
    data = {"merged_into": merged_into.reference} if merged_into else {}
    _commit(case, Transition.ARCHIVE, target, by=by, message=note, data=data, public=bool(note))
    case_flags_refresh(case=case)
    return case


@transaction.atomic
def case_archive_imported(*, case: Case, by, message: str, data: dict) -> Case:
    """Archive a case imported already finished in another system (SP4N-LAPOR!, say).

    Its handling happened there, so our clock never judged it: no due step is recorded and
    the event is marked ``imported``, which the maladministration detector leaves alone.
    """
    case = _lock(case, None)
    _require(by, Capability.ENTER_REPORTS, case)
    if case.status != CaseStatus.RECEIVED or case.events.exclude(kind=EventKind.NOTE).count() > 1:
        raise ApplicationError(
            _("Only a case just imported can be archived as finished elsewhere."),
            code="not_imported",
        )
    _close(case)
    case.status = CaseStatus.ARCHIVED
    case.version += 1
    case.save(update_fields=HANDLING_FIELDS)
    case_event_record(
        case=case,
        kind=EventKind.ARCHIVED,
        actor=by,
        is_public=False,
        message=message,
        data=data | {"status": CaseStatus.ARCHIVED, "imported": True},
    )
    return case


EDITABLE = ("title", "kind", "priority", "complexity", "category", "service", "is_confidential")


@transaction.atomic
def case_edit(
    *, case: Case, by, changes: dict, version=None, suggested_rank: int | None = None
) -> Case:
    """Change a case's details; the event keeps the old and the new values.

    *suggested_rank* (cases.suggestions) is kept in the event when the category changed.
    """
    case = _lock(case, version)
    _require(by, Capability.HANDLE_CASES, case)
    if case.status in (CaseStatus.ARCHIVED,):
        raise ApplicationError(_("An archived case cannot be changed."), code="archived")
    diff = {}
    for name, value in changes.items():
        if name not in EDITABLE:
            raise ValueError(f"{name} is not editable")
        old = getattr(case, name)
        if old != value:
            diff[name] = [_plain(old), _plain(value)]
            setattr(case, name, value)
    if not diff:
        return case
    for name, choices in (("kind", ReportKind), ("priority", Priority), ("complexity", Complexity)):
        if name in diff and getattr(case, name) not in choices.values:
            raise ApplicationError(_("Choose a valid value."), code=name)
    if {"kind", "priority", "complexity"} & diff.keys() and case.due_step in UNIT_STEPS:
        # The clock follows the new classification, counted from when its step began.
        started = case.verified_at if case.due_step != Step.VERIFICATION else case.received_at
        _set_due(case, case.due_step, start=started or case.received_at)
    case.version += 1
    case.save(update_fields=HANDLING_FIELDS + list(diff))
    data = {"changes": diff}
    if suggested_rank is not None and "category" in diff:
        data["suggested_rank"] = suggested_rank
    case_event_record(case=case, kind=EventKind.EDITED, actor=by, is_public=False, data=data)
    return case


def _plain(value):
    if hasattr(value, "pk"):
        return str(value)
    return value


@transaction.atomic
def case_mark_urgent(*, case: Case, reasons: list[str]) -> Case:
    """Raise a case to urgent priority because its text suggests danger to life or safety.

    The system's act, not an officer's (the text was read by ``insights.urgency``): a
    non-public event keeps the *reasons* (codes of ``insights.urgency.REASONS``), the unit's
    running clock follows the policy for urgent priority from when its step began, and the
    handlers and the unit's supervisors are alerted. An urgent or closed case is left alone.
    """
    case = _lock(case, None)
    if case.priority == Priority.URGENT or case.status in CLOSED_STATUSES:
        return case
    previous = case.priority
    case.priority = Priority.URGENT
    if case.due_step in UNIT_STEPS:
        started = case.verified_at if case.due_step != Step.VERIFICATION else case.received_at
        _set_due(case, case.due_step, start=started or case.received_at)
    case.version += 1
    case.save(update_fields=[*HANDLING_FIELDS, "priority"])
    event = case_event_record(
        case=case,
        kind=EventKind.URGENT,
        is_public=False,
        data={"reasons": list(reasons), "priority": [previous, case.priority]} | _due_data(case),
    )
    staff_notify(case=case, event=event, users=_urgent_recipients(case))
    return case


def case_handlers(case: Case) -> list:
    """Return who must act on *case*: its active assignee, else the unit's active officers."""
    if case.assignee_id and case.assignee.is_active:
        return [case.assignee]
    return list(
        User.objects.filter(
            memberships__unit=case.unit, memberships__role=Role.OFFICER, is_active=True
        )
        .distinct()
        .order_by("pk")
    )


def _urgent_recipients(case: Case) -> list:
    """Return who must see an emergency now: the handlers and the unit's heads."""
    heads = list(supervisors_of(case.unit, level=1))
    return list({user.pk: user for user in case_handlers(case) + heads}.values())


@transaction.atomic
def case_note_add(*, case: Case, by, text: str) -> CaseEvent:
    """Add an internal note, never shown to the reporter."""
    text = text.strip()
    if not text:
        raise ApplicationError(_("Write the note."), code="empty")
    _require(by, Capability.HANDLE_CASES, case)
    return case_event_record(
        case=case, kind=EventKind.NOTE, actor=by, is_public=False, message=text
    )


def supervisors_of(unit: Unit, *, level: int):
    """Return the supervisors at escalation *level*: 1 the unit's own, 2 its parent's."""
    target = unit
    if level >= 2 and unit.parent_id:
        target = unit.parent
    paths = _ancestor_paths(target)
    own = User.objects.filter(
        memberships__role=Role.SUPERVISOR, memberships__unit__path=target.path, is_active=True
    ).distinct()
    if own.exists():
        return own
    # No supervisor on the unit itself: the nearest one above covers it.
    return (
        User.objects.filter(
            memberships__role=Role.SUPERVISOR, memberships__unit__path__in=paths, is_active=True
        )
        .distinct()
        .order_by("-memberships__unit__path")
    )


def case_escalate(*, case: Case, level: int, reason: str) -> CaseEvent:
    """Record an escalation to *level* and alert that level's supervisors (in a transaction)."""
    case.escalation_level = max(case.escalation_level, level)
    Case.objects.filter(pk=case.pk).update(escalation_level=case.escalation_level)
    supervisors = list(supervisors_of(case.unit, level=level))
    event = case_event_record(
        case=case,
        kind=EventKind.ESCALATED,
        is_public=False,
        message=reason,
        data={"level": level, "to": [u.pk for u in supervisors]},
    )
    staff_notify(case=case, event=event, users=supervisors)
    return event
