"""Reads of analytics: a unit's period measures from rollups, scoped for staff."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from tanggap.accounts.models import Category, Unit, User
from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import get_scoped_or_404, units_for
from tanggap.cases.choices import OPEN_STATUSES, UNIT_STEPS
from tanggap.cases.models import Case
from tanggap.common.pagination import keyset_page
from tanggap.surveys.index import IndexResult, MissingElements, from_tallies
from tanggap.surveys.models import SurveyPeriod, SurveyResponse
from tanggap.surveys.selectors import tallies

from .measures import MONTH_FIELDS, Measures, summed
from .models import MonthlyRollup, OpenLoad
from .periods import Period, previous
from .rollups import day_start

# Unit heads and oversight read the dashboards and evaluation reports.
DASHBOARD_CAPABILITY = Capability.AUDIT
OVERDUE_LIMIT = 25


def dashboard_units(user) -> QuerySet[Unit]:
    """Return the units whose dashboard *user* may read."""
    return units_for(user, DASHBOARD_CAPABILITY).select_related("organisation")


def dashboard_unit(*, user, unit_id: int) -> Unit:
    """Return a unit whose dashboard *user* may read, or 404."""
    return get_scoped_or_404(dashboard_units(user), pk=unit_id)


def public_units() -> QuerySet[Unit]:
    """Return the units that publish statistics: those taking public reports."""
    return Unit.objects.filter(accepts_reports=True).select_related("organisation")


def subtree_ids(unit: Unit) -> list[int]:
    """Return the ids of *unit* and every unit below it (read once per unit object)."""
    cached = getattr(unit, "_subtree_ids", None)
    if cached is None:
        cached = list(Unit.objects.filter(path__startswith=unit.path).values_list("id", flat=True))
        unit._subtree_ids = cached
    return cached


def _rows(unit_ids: list[int], period: Period):
    """Return the monthly rollup rows of the units in *period* (periods are whole months)."""
    return MonthlyRollup.objects.filter(
        unit_id__in=unit_ids, month__gte=period.start, month__lte=period.end
    ).values(*MONTH_FIELDS)


def period_measures(unit: Unit, period: Period) -> Measures:
    """Return the measures of *unit* and its sub-units over *period*, from the rollups."""
    return summed(_rows(subtree_ids(unit), period))


def children_measures(unit: Unit, period: Period) -> list[tuple[Unit, Measures]]:
    """Return the measures of each direct sub-unit (with its own sub-units), for drill-down."""
    children = list(Unit.objects.filter(parent=unit).order_by("name"))
    if not children:
        return []
    below = Unit.objects.filter(path__startswith=unit.path).exclude(pk=unit.pk)
    owner = {}
    for unit_id, path in below.values_list("id", "path"):
        owner[unit_id] = next((c for c in children if path.startswith(c.path)), None)
    grouped = {child.pk: Measures() for child in children}
    for row in _rows(list(owner), period):
        if child := owner.get(row["unit_id"]):
            grouped[child.pk].add(row)
    return [(child, grouped[child.pk]) for child in children]


@dataclass
class Ikm:
    """The IKM of a unit's survey responses in a period."""

    result: IndexResult | None
    respondents: int


def period_ikm(unit: Unit, period: Period) -> Ikm:
    """Return the IKM over the counted survey responses of *unit*'s subtree in *period*."""
    ids = subtree_ids(unit)
    periods = SurveyPeriod.objects.filter(
        unit_id__in=ids, starts_on__lte=period.end, ends_on__gte=period.start
    )
    tz = unit.tz
    responses = SurveyResponse.objects.filter(
        period__in=periods,
        unit_id__in=ids,
        created_at__gte=day_start(period.start, tz),
        created_at__lt=day_start(period.end + timedelta(days=1), tz),
    ).counted()
    sums, counts, respondents = tallies(responses)
    if not respondents:
        return Ikm(None, 0)
    try:
        return Ikm(from_tallies(sums, counts, respondents, allow_missing=True), respondents)
    except MissingElements:
        return Ikm(None, respondents)


def category_names(ids) -> dict[str, str]:
    """Return category id (as text) to name for the ids in a breakdown."""
    numbers = [int(i) for i in ids if str(i).isdigit()]
    return {
        str(pk): name
        for pk, name in Category.objects.filter(pk__in=numbers).values_list("pk", "name")
    }


def overdue_cases(unit: Unit, *, now=None, limit: int = OVERDUE_LIMIT) -> list[Case]:
    """Return the open cases of *unit*'s subtree past a deadline of the unit, oldest first.

    Each unit's (unit, due_at) index range is read with its own limit and the parts merged
    (common.pagination), so the cost does not grow with the unit's open cases.
    """
    now = now or timezone.now()
    qs = Case.objects.filter(
        status__in=OPEN_STATUSES, due_step__in=list(UNIT_STEPS), due_at__lt=now
    ).select_related("unit", "assignee")
    return keyset_page(
        qs, field="due_at", limit=limit, partition=("unit_id", subtree_ids(unit))
    ).items


def workload(unit: Unit) -> list[dict]:
    """Return per officer the open and overdue cases of *unit*'s subtree; None = unassigned.

    Read from the OpenLoad rollup (as of the last rollup run), not from the cases.
    """
    totals: dict = {}
    for row in OpenLoad.objects.filter(unit_id__in=subtree_ids(unit)).values(
        "assignee_id", "open", "overdue"
    ):
        total = totals.setdefault(row["assignee_id"], {"open": 0, "overdue": 0})
        total["open"] += row["open"]
        total["overdue"] += row["overdue"]
    people = User.objects.in_bulk([pk for pk in totals if pk])
    result = [{"officer": people.get(pk)} | counts for pk, counts in totals.items()]
    return sorted(result, key=lambda r: (r["officer"] is None, -r["open"]))


def with_previous(unit: Unit, period: Period) -> tuple[Measures, Measures]:
    """Return the measures of *period* and of the period before it."""
    return period_measures(unit, period), period_measures(unit, previous(period))
