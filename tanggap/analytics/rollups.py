"""Recomputing the daily rollup cells of a unit from the cases, flags and verdicts."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from tanggap.accounts.models import Unit
from tanggap.cases.choices import OPEN_STATUSES, UNIT_STEPS, CaseStatus, FlagKind, Step
from tanggap.cases.models import Case, CaseFlag
from tanggap.responses.models import Verdict

from . import histograms
from .measures import DAY_FIELDS, summed
from .models import DailyRollup, MonthlyRollup, OpenLoad

# A span of days read in one query is at most this long.
MAX_RUN_DAYS = 31
CASE_FIELDS = (
    "id",
    "kind",
    "channel",
    "category_id",
    "status",
    "is_confidential",
    "received_at",
    "verified_at",
    "first_replied_at",
    "closed_at",
)
# Which milestone meets each step of the unit, for the on-time counts.
STEP_FIELDS = {
    Step.VERIFICATION: "verified",
    Step.FIRST_REPLY: "replied",
    Step.RESOLUTION: "resolved",
}


def day_start(day: date, tz) -> datetime:
    """Return the instant a local day begins in *tz*."""
    return datetime.combine(day, time.min, tzinfo=tz)


def runs(days: Iterable[date]) -> list[tuple[date, date]]:
    """Group *days* into spans (first, last) of at most a month, each read in one query.

    A span is recomputed whole, days between the touched ones included: one read of a
    month of cases is cheaper than a query per scattered day, and the result is the same.
    """
    result: list[list[date]] = []
    for day in sorted(set(days)):
        if result and (day - result[-1][0]).days < MAX_RUN_DAYS:
            result[-1][1] = day
        else:
            result.append([day, day])
    return [(first, last) for first, last in result]


def _hours(later: datetime | None, earlier: datetime) -> float | None:
    return None if later is None else (later - earlier).total_seconds() / 3600


class _Cell:
    """Counts of one (unit, day) being built."""

    def __init__(self):
        self.row = {"received": 0, "confidential": 0, "closed": 0, "delayed": 0, "accepted": 0}
        self.counters = {name: Counter() for name in ("kinds", "channels", "categories")}
        self.counters |= {"statuses": Counter(), "ratings": Counter()}
        self.hours = [0] * 24
        self.durations = {"verify_hours": [], "reply_hours": [], "resolve_hours": []}
        for field in STEP_FIELDS.values():
            self.row[field] = self.row[f"{field}_on_time"] = 0

    def add(self, case: dict, local: datetime, late_steps: set) -> None:
        row, received = self.row, case["received_at"]
        row["received"] += 1
        row["confidential"] += case["is_confidential"]
        self.counters["kinds"][case["kind"]] += 1
        self.counters["channels"][case["channel"]] += 1
        self.counters["categories"][str(case["category_id"] or "")] += 1
        self.counters["statuses"][case["status"]] += 1
        self.hours[local.hour] += 1
        done = {
            Step.VERIFICATION: case["verified_at"] is not None,
            Step.FIRST_REPLY: case["first_replied_at"] is not None,
            Step.RESOLUTION: case["status"] == CaseStatus.RESOLVED,
        }
        for step, field in STEP_FIELDS.items():
            if done[step]:
                row[field] += 1
                row[f"{field}_on_time"] += step not in late_steps
        row["closed"] += case["closed_at"] is not None
        row["delayed"] += bool(late_steps)
        for name, moment in (
            ("verify_hours", case["verified_at"]),
            ("reply_hours", case["first_replied_at"]),
            ("resolve_hours", case["closed_at"] if done[Step.RESOLUTION] else None),
        ):
            if (hours := _hours(moment, received)) is not None:
                self.durations[name].append(hours)

    def rate(self, rating: int, accepted: bool) -> None:
        self.counters["ratings"][str(rating)] += 1
        self.row["accepted"] += accepted

    def fields(self) -> dict:
        values = dict(self.row)
        values |= {name: dict(counter) for name, counter in self.counters.items()}
        values |= {name: histograms.build(hours) for name, hours in self.durations.items()}
        return values | {"hours": self.hours}


def _cells_of_run(unit: Unit, first: date, last: date) -> dict[date, _Cell]:
    tz = unit.tz
    start, end = day_start(first, tz), day_start(last + timedelta(days=1), tz)
    cases = Case.objects.filter(unit=unit, received_at__gte=start, received_at__lt=end)
    in_run = {"case__unit": unit, "case__received_at__gte": start, "case__received_at__lt": end}
    late: dict[int, set] = defaultdict(set)
    for case_id, step in CaseFlag.objects.filter(kind=FlagKind.UNDUE_DELAY, **in_run).values_list(
        "case_id", "step"
    ):
        late[case_id].add(step)
    cells: dict[date, _Cell] = {}
    day_of: dict[int, date] = {}
    for case in cases.values(*CASE_FIELDS).iterator(chunk_size=2000):
        local = case["received_at"].astimezone(tz)
        day_of[case["id"]] = local.date()
        cells.setdefault(local.date(), _Cell()).add(case, local, late.get(case["id"], set()))
    for case_id, rating, accepted in Verdict.objects.filter(**in_run).values_list(
        "case_id", "rating", "accepted"
    ):
        if case_id in day_of:
            cells[day_of[case_id]].rate(rating, accepted)
    return cells


def unit_days_recompute(*, unit: Unit, days: Iterable[date]) -> int:
    """Recompute the rollup rows of *unit* for *days* from the raw tables; return rows written.

    Idempotent: a day's row is replaced by what the cases show now, and removed when the unit
    no longer has a case received that day (a case disposed to another unit moves).
    """
    days = set(days)
    written = 0
    now = timezone.now()
    for first, last in runs(days):
        cells = _cells_of_run(unit, first, last)
        with transaction.atomic():
            DailyRollup.objects.filter(unit=unit, day__gte=first, day__lte=last).delete()
            DailyRollup.objects.bulk_create(
                DailyRollup(unit=unit, day=day, computed_at=now, **cell.fields())
                for day, cell in cells.items()
            )
        written += len(cells)
    months_recompute(unit=unit, months={date(d.year, d.month, 1) for d in days})
    return written


def months_recompute(*, unit: Unit, months: Iterable[date]) -> None:
    """Replace the monthly rows of *unit* for *months* by the sum of their daily rows."""
    now = timezone.now()
    for month in sorted(set(months)):
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        daily = DailyRollup.objects.filter(unit=unit, day__gte=month, day__lt=following)
        measures = summed(daily.values(*DAY_FIELDS))
        with transaction.atomic():
            MonthlyRollup.objects.filter(unit=unit, month=month).delete()
            if measures.counts["received"]:
                MonthlyRollup.objects.create(
                    unit=unit, month=month, computed_at=now, **measures.fields()
                )


@transaction.atomic
def unit_rebuild(*, unit: Unit) -> int:
    """Recompute every rollup row of *unit* in one transaction; return the rows written."""
    bounds = Case.objects.filter(unit=unit).order_by("received_at").values_list("received_at")
    first, last = bounds.first(), bounds.reverse().first()
    DailyRollup.objects.filter(unit=unit).exclude(
        day__range=(
            first[0].astimezone(unit.tz).date() if first else date.max,
            last[0].astimezone(unit.tz).date() if last else date.min,
        )
    ).delete()
    MonthlyRollup.objects.filter(unit=unit).exclude(
        month__range=(
            first[0].astimezone(unit.tz).date().replace(day=1) if first else date.max,
            last[0].astimezone(unit.tz).date() if last else date.min,
        )
    ).delete()
    open_load_recompute(unit=unit)
    if first is None:
        return 0
    start, end = first[0].astimezone(unit.tz).date(), last[0].astimezone(unit.tz).date()
    return unit_days_recompute(
        unit=unit, days=(start + timedelta(days=n) for n in range((end - start).days + 1))
    )


def open_load_recompute(*, unit: Unit, now=None) -> None:
    """Replace *unit*'s open and overdue counts per officer by what its open cases show now."""
    now = now or timezone.now()
    overdue = Q(due_step__in=list(UNIT_STEPS), due_at__lt=now)
    rows = (
        Case.objects.filter(unit=unit, status__in=OPEN_STATUSES)
        .values("assignee")
        .annotate(open=Count("id"), overdue=Count("id", filter=overdue))
        .order_by()
    )
    with transaction.atomic():
        OpenLoad.objects.filter(unit=unit).delete()
        OpenLoad.objects.bulk_create(
            OpenLoad(unit=unit, assignee_id=r["assignee"], open=r["open"], overdue=r["overdue"])
            for r in rows
        )
