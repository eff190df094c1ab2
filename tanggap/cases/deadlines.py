"""Deadline rules per step (pure): the clock and its length, from domain.md 2.4b."""

from dataclasses import dataclass
from datetime import datetime

from .choices import Step
from .workdays import WorkCalendar, add_calendar_days, add_working_days

WORKING_DAYS = "working_days"
CALENDAR_DAYS = "calendar_days"


@dataclass(frozen=True)
class Clock:
    """A deadline length in working days or calendar days."""

    amount: int
    unit: str = WORKING_DAYS


# LAPOR!: verification and forwarding within 3 working days, first substantive reply within 5.
DEFAULT_CLOCKS: dict[str, Clock] = {
    Step.VERIFICATION: Clock(3),
    Step.FIRST_REPLY: Clock(5),
    Step.RESOLUTION: Clock(14),
}


def due_at(step: str, start: datetime, calendar: WorkCalendar, clocks=None) -> datetime:
    """Return when *step* is due for work starting at *start* in *calendar*."""
    clock = (clocks or DEFAULT_CLOCKS)[step]
    if clock.unit == CALENDAR_DAYS:
        return add_calendar_days(start, clock.amount, calendar)
    return add_working_days(start, clock.amount, calendar)
