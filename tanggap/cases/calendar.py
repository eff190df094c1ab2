"""Build a unit's working calendar from the national holidays and its own closures."""

from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from tanggap.accounts.models import Unit, UnitClosure

from .workdays import WorkCalendar, national_non_working_days


def calendar_for(unit: Unit, *, around: date | None = None) -> WorkCalendar:
    """Return *unit*'s calendar for the two years from *around* (deadlines never reach further)."""
    around = around or timezone.localdate()
    years = range(around.year - 1, around.year + 3)
    closures = UnitClosure.objects.filter(
        Q(unit=unit) | Q(unit__isnull=True),
        date__gte=around - timedelta(days=366),
        date__lte=around + timedelta(days=2 * 366),
    ).values_list("date", "is_working_day")
    closed = {d for d, working in closures if not working}
    opened = {d for d, working in closures if working}
    return WorkCalendar(
        tz=unit.tz,
        working_weekdays=unit.weekday_set,
        open_24h=unit.open_24h,
        closed_days=frozenset((national_non_working_days(years) | closed) - opened),
        extra_working_days=frozenset(opened),
    )
