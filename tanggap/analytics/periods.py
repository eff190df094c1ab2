"""Reporting periods (month, quarter, semester, year): parse, name, step back (pure)."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTH, QUARTER, SEMESTER, YEAR = "month", "quarter", "semester", "year"
KINDS = (MONTH, QUARTER, SEMESTER, YEAR)
# Months per period kind.
LENGTH = {MONTH: 1, QUARTER: 3, SEMESTER: 6, YEAR: 12}
_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{2})$"), MONTH),
    (re.compile(r"^(\d{4})-Q([1-4])$"), QUARTER),
    (re.compile(r"^(\d{4})-S([12])$"), SEMESTER),
    (re.compile(r"^(\d{4})$"), YEAR),
)
EARLIEST_YEAR = 2000


@dataclass(frozen=True)
class Period:
    """A calendar period: its kind, first and last day (both included)."""

    kind: str
    start: date
    end: date

    @property
    def key(self) -> str:
        """Return the period's code: 2026-11, 2026-Q4, 2026-S2 or 2026."""
        year, month = self.start.year, self.start.month
        if self.kind == MONTH:
            return f"{year}-{month:02d}"
        if self.kind == QUARTER:
            return f"{year}-Q{(month - 1) // 3 + 1}"
        if self.kind == SEMESTER:
            return f"{year}-S{(month - 1) // 6 + 1}"
        return str(year)

    @property
    def days(self) -> int:
        """Return the number of days in the period."""
        return (self.end - self.start).days + 1


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def make(kind: str, year: int, number: int = 1) -> Period:
    """Return the *number*-th period of *kind* in *year* (month 1-12, quarter 1-4, ...)."""
    length = LENGTH[kind]
    start = date(year, (number - 1) * length + 1, 1)
    return Period(kind, start, _add_months(start, length) - timedelta(days=1))


def parse(text: str) -> Period | None:
    """Return the period a code names, or None when the code is not a valid period."""
    text = (text or "").strip().upper()
    for pattern, kind in _PATTERNS:
        found = pattern.match(text)
        if not found:
            continue
        year = int(found.group(1))
        number = int(found.group(2)) if found.lastindex and found.lastindex > 1 else 1
        if year < EARLIEST_YEAR or year > 9998 or (kind == MONTH and not 1 <= number <= 12):
            return None
        return make(kind, year, number)
    return None


def containing(kind: str, day: date) -> Period:
    """Return the period of *kind* that holds *day*."""
    length = LENGTH[kind]
    return make(kind, day.year, (day.month - 1) // length + 1)


def previous(period: Period) -> Period:
    """Return the period of the same kind just before *period*."""
    return containing(period.kind, period.start - timedelta(days=1))


def ended_by(day: date, kinds=KINDS) -> list[Period]:
    """Return the periods that ended before *day* and are the latest of their kind."""
    return [previous(containing(kind, day)) for kind in kinds]
