"""Compute SLA deadlines on working-day, calendar-day and calendar-hour clocks.

Pure module: no Django, no database. The clocks follow docs research
(domain.md 2.4b and 7): LAPOR! verification (3 hari kerja) and follow-up
(5 hari kerja) count working days; UU 25/2009 deadlines count plain "hari";
24-hour units such as SPKT count calendar hours.

End-of-day convention: a day-based deadline is the last microsecond of a local
day, computed as the start of the next local day minus one microsecond (on the
UTC time line). In the Indonesian zones, which have no DST, that is always
23:59:59.999999 local time. A case is late when ``now > deadline``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

TIMEZONES: dict[str, str] = {
    "WIB": "Asia/Jakarta",
    "WITA": "Asia/Makassar",
    "WIT": "Asia/Jayapura",
}

MONDAY_TO_FRIDAY: frozenset[int] = frozenset(range(5))

# A calendar with no working day would otherwise loop for ever; ten years of
# consecutive closed days can only be a configuration error.
MAX_SCAN_DAYS = 3700

_ONE_DAY = timedelta(days=1)
_ONE_MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class WorkCalendar:
    """Describe which local days a unit works, so deadlines skip the others."""

    tz: ZoneInfo
    working_weekdays: frozenset[int] = MONDAY_TO_FRIDAY
    open_24h: bool = False
    closed_days: frozenset[date] = field(default_factory=frozenset)
    extra_working_days: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        """Reject weekday numbers outside Monday=0..Sunday=6."""
        if not self.working_weekdays <= frozenset(range(7)):
            raise ValueError(
                f"working_weekdays must be within 0..6: {sorted(self.working_weekdays)}"
            )

    def is_working_day(self, d: date) -> bool:
        """Return whether the unit works on local date ``d``."""
        if self.open_24h:
            return True
        # A declared service day wins over a weekend, a holiday or a closure.
        if d in self.extra_working_days:
            return True
        if d in self.closed_days:
            return False
        return d.weekday() in self.working_weekdays


@functools.lru_cache(maxsize=64)
def _national_non_working_days_for_year(year: int) -> frozenset[date]:
    """Return one year's public holidays and cuti bersama, cached per year."""
    # "government" is the category that carries cuti bersama (stack.md 6).
    calendar = holidays.country_holidays("ID", years=year, categories=("public", "government"))
    return frozenset(calendar.keys())


def national_non_working_days(years: Iterable[int]) -> frozenset[date]:
    """Return national holidays and cuti bersama for ``years`` (cached per year)."""
    result: frozenset[date] = frozenset()
    for year in sorted(set(years)):
        result |= _national_non_working_days_for_year(year)
    return result


def add_working_days(start: datetime, days: int, cal: WorkCalendar) -> datetime:
    """Return the deadline ``days`` working days after ``start``, in ``cal.tz``.

    The deadline is the end of the ``days``-th working day strictly after the
    local date of ``start``; with ``days=0`` it is the end of that date if it is
    a working day, else the end of the next working day. For ``cal.open_24h``
    the clock runs in elapsed hours: ``start + 24 * days`` hours.
    """
    _require_aware(start)
    _require_non_negative(days)
    if cal.open_24h:
        # Add on the UTC line so the result is exact elapsed time in any zone.
        return (start.astimezone(UTC) + timedelta(hours=24 * days)).astimezone(cal.tz)

    current = start.astimezone(cal.tz).date()
    if days == 0:
        if cal.is_working_day(current):
            return _end_of_local_day(current, cal.tz)
        return _end_of_local_day(_next_working_day(current, cal), cal.tz)
    for _ in range(days):
        current = _next_working_day(current, cal)
    return _end_of_local_day(current, cal.tz)


def add_calendar_days(start: datetime, days: int, cal: WorkCalendar) -> datetime:
    """Return the end of the local day ``days`` calendar days after ``start``."""
    _require_aware(start)
    _require_non_negative(days)
    local_date = start.astimezone(cal.tz).date()
    return _end_of_local_day(local_date + timedelta(days=days), cal.tz)


def working_days_between(start: datetime, end: datetime, cal: WorkCalendar) -> int:
    """Count working days after ``start``'s local date up to ``end``'s, for lateness."""
    _require_aware(start)
    _require_aware(end)
    if end <= start:
        return 0
    first = start.astimezone(cal.tz).date() + _ONE_DAY
    last = end.astimezone(cal.tz).date()
    count = 0
    current = first
    while current <= last:
        if cal.is_working_day(current):
            count += 1
        current += _ONE_DAY
    return count


def _next_working_day(after: date, cal: WorkCalendar) -> date:
    """Return the first working day strictly after ``after``."""
    current = after
    for _ in range(MAX_SCAN_DAYS):
        current += _ONE_DAY
        if cal.is_working_day(current):
            return current
    raise ValueError(
        f"no working day within {MAX_SCAN_DAYS} days after {after.isoformat()}; check the calendar"
    )


def _end_of_local_day(d: date, tz: ZoneInfo) -> datetime:
    """Return the last microsecond of local date ``d`` in ``tz``."""
    next_midnight = datetime.combine(d + _ONE_DAY, time.min, tzinfo=tz)
    return (next_midnight.astimezone(UTC) - _ONE_MICROSECOND).astimezone(tz)


def _require_aware(value: datetime) -> None:
    """Reject naive datetimes, whose local date would be a guess."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValueError(f"an aware datetime is required, got naive {value!r}")


def _require_non_negative(days: int) -> None:
    """Reject negative day counts, which have no meaning for a deadline."""
    if days < 0:
        raise ValueError(f"days must be >= 0, got {days}")


def extend_by_pause(
    due: datetime, paused_at: datetime, resumed_at: datetime, cal: WorkCalendar
) -> datetime:
    """Return *due* moved later by the time a case waited for its reporter (the clock paused).

    A 24-hour unit gets the elapsed time back; others get back the working days that passed.
    """
    _require_aware(due)
    if resumed_at <= paused_at:
        return due
    if cal.open_24h:
        return due + (resumed_at - paused_at)
    days = working_days_between(paused_at, resumed_at, cal)
    return add_working_days(due, days, cal) if days else due
