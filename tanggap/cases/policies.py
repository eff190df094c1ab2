"""Which deadline policy governs a case, and the due date of each step under it."""

from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from tanggap.accounts.models import Unit

from .choices import Complexity, Step
from .models import DayType, DeadlinePolicy
from .workdays import WorkCalendar, add_calendar_days, add_working_days


@dataclass(frozen=True)
class Policy:
    """The deadlines that apply to one case; the defaults are domain.md 2.4b's."""

    day_type: str = DayType.WORKING_DAYS
    verification_days: int = 3
    first_reply_days: int = 5
    resolution_simple_days: int = 2
    resolution_normative_days: int = 5
    resolution_standard_days: int = 14
    resolution_inspection_days: int = 60
    citizen_reply_days: int = 10
    information_days: int = 30
    reminder_hours: int = 24
    escalation_grace_days: int = 2

    def days_for(self, step: str, complexity: str = Complexity.STANDARD) -> int:
        """Return the length of *step*'s clock in days."""
        if step == Step.RESOLUTION:
            return getattr(self, f"resolution_{complexity}_days")
        return {
            Step.VERIFICATION: self.verification_days,
            Step.FIRST_REPLY: self.first_reply_days,
            Step.CITIZEN_REPLY: self.citizen_reply_days,
            Step.CITIZEN_INFORMATION: self.information_days,
        }[step]


DEFAULT_POLICY = Policy()
_POLICY_FIELDS = [f.name for f in fields(Policy)]


def policy_for(unit: Unit, *, kind: str, priority: str) -> Policy:
    """Return the most specific policy for a case of *kind* and *priority* in *unit*."""
    ancestors = [int(i) for i in unit.path.strip("/").split("/") if i] or [unit.pk]
    candidates = DeadlinePolicy.objects.filter(
        organisation_id=unit.organisation_id,
        kind__in=[kind, ""],
        priority__in=[priority, ""],
    ).filter(unit_id__in=ancestors) | DeadlinePolicy.objects.filter(
        organisation_id=unit.organisation_id,
        unit__isnull=True,
        kind__in=[kind, ""],
        priority__in=[priority, ""],
    )
    depth = {uid: n for n, uid in enumerate(ancestors, start=1)}

    def specificity(p: DeadlinePolicy):
        return (depth.get(p.unit_id, 0), bool(p.kind), bool(p.priority))

    best = max(candidates, key=specificity, default=None)
    if best is None:
        return DEFAULT_POLICY
    return Policy(**{name: getattr(best, name) for name in _POLICY_FIELDS})


def step_due(
    step: str,
    start: datetime,
    calendar: WorkCalendar,
    policy: Policy,
    complexity: str = Complexity.STANDARD,
) -> datetime:
    """Return when *step* is due for work starting at *start*.

    The unit's own steps follow the policy's day type (24-hour units count elapsed hours);
    the reporter's windows are plain days ("hari", UU 25/2009 44(4), LAPOR! step 4).
    """
    days = policy.days_for(step, complexity)
    if step in (Step.CITIZEN_REPLY, Step.CITIZEN_INFORMATION):
        return add_calendar_days(start, days, calendar)
    if calendar.open_24h:
        return add_working_days(start, days, calendar)
    if policy.day_type == DayType.CALENDAR_DAYS:
        return add_calendar_days(start, days, calendar)
    return add_working_days(start, days, calendar)


def reminder_at(due: datetime, policy: Policy) -> datetime:
    """Return when to remind the handler of a deadline."""
    return due - timedelta(hours=policy.reminder_hours)
