"""Reads of cases, always scoped to the units the acting user may see."""

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from tanggap.accounts.models import Membership, Unit, User
from tanggap.accounts.roles import Capability, Role
from tanggap.accounts.scoping import get_scoped_or_404, units_for
from tanggap.common.pagination import Page, keyset_page

from .choices import OPEN_STATUSES, UNIT_STEPS
from .filters import SORTS, DueState
from .models import Case, CaseEvent, CaseFlag, DeadlinePolicy

# A deadline this close is "due soon" whatever the policy's reminder lead says.
SOON = timedelta(hours=24)


def cases_visible_to(user, capability: str = Capability.VIEW_CASES) -> QuerySet[Case]:
    """Return the cases of the units on which *user* holds *capability* (seeing, by default)."""
    return Case.objects.filter(unit__in=units_for(user, capability))


def case_get(*, user, case_id: int) -> Case:
    """Return a visible case or raise 404."""
    qs = cases_visible_to(user).select_related(
        "unit", "organisation", "category", "service", "assignee"
    )
    return get_scoped_or_404(qs, pk=case_id)


def case_find(*, user, code: str) -> Case | None:
    """Return the visible case with reference *code*, or the one holding report *code*."""
    visible = cases_visible_to(user)
    report = apps.get_model("intake", "Report")
    return (
        visible.filter(reference=code).first()
        or visible.filter(
            pk__in=report.objects.filter(tracking_code=code).values("case_id")
        ).first()
    )


def due_state(case: Case, *, now: datetime) -> str:
    """Return the case's DueState, or "" when it has no deadline.

    "Due soon" is within 24 hours, or past the policy's reminder time, which the sweep's
    agenda already holds: the stage turns from "remind" to "breach" once the reminder is due.
    """
    if case.due_at is None:
        return ""
    if case.due_step not in UNIT_STEPS:
        return DueState.REPORTER
    if case.due_at < now:
        return DueState.OVERDUE
    reminded = case.sweep_stage == "breach" or (
        case.sweep_stage == "remind" and case.next_sweep_at and case.next_sweep_at <= now
    )
    if case.due_at - now < SOON or reminded:
        return DueState.SOON
    return DueState.ON_TIME


def _overdue_q(now: datetime) -> Q:
    return Q(due_at__lt=now, due_step__in=UNIT_STEPS)


def _soon_q(now: datetime, lead: timedelta) -> Q:
    # The outer due_at range keeps the (unit, due_at) index scan short; the rest is due_state's.
    reminded = Q(sweep_stage="breach") | Q(sweep_stage="remind", next_sweep_at__lte=now)
    return Q(due_at__gte=now, due_at__lt=now + lead, due_step__in=UNIT_STEPS) & (
        Q(due_at__lt=now + SOON) | reminded
    )


def _longest_lead(units: QuerySet[Unit]) -> timedelta:
    """Return the longest reminder lead of the units' organisations (24 hours at least)."""
    hours = DeadlinePolicy.objects.filter(organisation__in=units.values("organisation")).aggregate(
        hours=Max("reminder_hours")
    )["hours"]
    return max(SOON, timedelta(hours=hours or 0))


def due_filter(units: QuerySet[Unit], state: str, now: datetime) -> Q:
    """Return the condition for cases of *units* in DueState *state* at *now*."""
    if state == DueState.OVERDUE:
        return _overdue_q(now)
    if state == DueState.SOON:
        return _soon_q(now, _longest_lead(units))
    return Q()


# Up to this many matching cases, the matches are fetched first and the page taken from them.
SEARCH_ID_CAP = 2000


def _search(qs: QuerySet[Case], *, text: str, code: str | None) -> tuple[QuerySet[Case], bool]:
    """Filter *qs* by a search; also return whether the matches are few (a fixed id list)."""
    if code:
        # An exact tracking code, through the unique indexes. By label: intake sits below cases.
        report = apps.get_model("intake", "Report")
        ids = set(Case.objects.filter(reference=code).values_list("id", flat=True))
        ids |= set(report.objects.filter(tracking_code=code).values_list("case_id", flat=True))
        return qs.filter(pk__in=ids), True
    # On PostgreSQL a trigram index on UPPER(search_text) finds the matches (migration 0003).
    matches = Case.objects.filter(search_text__icontains=text).values_list("id", flat=True)
    ids = set(matches[: SEARCH_ID_CAP + 1])
    if len(ids) <= SEARCH_ID_CAP:
        return qs.filter(pk__in=ids), True
    # A common word: matches are dense, so testing cases while reading them in order is quicker.
    return qs.filter(search_text__icontains=text), False


def case_list(
    *,
    user,
    filters: dict,
    cursor: str | None = None,
    limit: int = 25,
    capability: str = Capability.VIEW_CASES,
    now: datetime | None = None,
) -> Page:
    """Return one page of the cases matching *filters* (cleaned CaseFilterForm data).

    The units are those where *user* holds *capability*. *filters* may also hold "code", a
    canonical tracking code to match exactly.
    """
    units = units_for(user, capability)
    if filters.get("unit"):
        units = units.filter(path__startswith=filters["unit"].path)
    qs = Case.objects.select_related("unit", "category", "assignee")
    for name in ("status", "kind", "channel", "category"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("due"):
        qs = qs.filter(due_filter(units, filters["due"], now or timezone.now()))
    few = False
    if filters.get("mine"):
        # One officer's cases are few: read them through the (assignee, status) index.
        qs, few = qs.filter(assignee=user), True
    text = (filters.get("q") or "").strip()
    if text or filters.get("code"):
        qs, searched_few = _search(qs, text=text, code=filters.get("code"))
        few = few or searched_few
    field, descending = SORTS.get(filters.get("sort") or "due", SORTS["due"])
    unit_ids = list(units.values_list("id", flat=True))
    page = {"field": field, "descending": descending, "cursor": cursor, "limit": limit}
    # A few known matches are sorted directly; otherwise each unit's index range is read.
    if few:
        return keyset_page(qs.filter(unit_id__in=unit_ids), **page)
    return keyset_page(qs, partition=("unit_id", unit_ids), **page)


def cases_escalated(*, user, cursor: str | None = None, limit: int = 25) -> Page:
    """Return a page of the open escalated cases of the units *user* supervises, soonest due."""
    unit_ids = list(units_for(user, Capability.SUPERVISE_CASES).values_list("id", flat=True))
    qs = Case.objects.filter(status__in=OPEN_STATUSES, escalation_level__gt=0).select_related(
        "unit", "assignee"
    )
    return keyset_page(
        qs, field="due_at", cursor=cursor, limit=limit, partition=("unit_id", unit_ids)
    )


def case_timeline(*, case: Case, public_only: bool) -> QuerySet[CaseEvent]:
    """Return the events of *case*, only the public ones for the reporter."""
    qs = case.events.select_related("actor")
    return qs.filter(is_public=True) if public_only else qs


def handlers_for(user) -> QuerySet[Membership]:
    """Return the memberships of officers and supervisors on the units *user* handles."""
    return (
        Membership.objects.filter(
            unit__in=units_for(user, Capability.HANDLE_CASES),
            role__in=[Role.OFFICER, Role.SUPERVISOR],
            user__is_active=True,
        )
        .select_related("user", "unit")
        .order_by("unit__path", "user__first_name", "user__username")
    )


def team_workload(*, user, now: datetime | None = None) -> list[dict]:
    """Return, per handler of the units *user* supervises, their open, overdue and due-soon cases.

    The last row (officer None) counts the open cases nobody has taken yet.
    """
    now = now or timezone.now()
    units = units_for(user, Capability.SUPERVISE_CASES)
    counts = {
        row["assignee"]: row
        for row in Case.objects.filter(unit__in=units, status__in=OPEN_STATUSES)
        .values("assignee")
        .annotate(
            open=Count("id"),
            overdue=Count("id", filter=_overdue_q(now)),
            soon=Count("id", filter=_soon_q(now, _longest_lead(units))),
        )
        .order_by()
    }
    handlers = Q(memberships__unit__in=units, memberships__role__in=[Role.OFFICER, Role.SUPERVISOR])
    people = (
        User.objects.filter(handlers | Q(pk__in=counts.keys() - {None}))
        .distinct()
        .order_by("first_name", "username")
    )
    empty = {"open": 0, "overdue": 0, "soon": 0}
    rows = [{"officer": person} | _counts(counts.get(person.pk, empty)) for person in people]
    rows.append({"officer": None} | _counts(counts.get(None, empty)))
    return rows


def _counts(row: dict) -> dict:
    return {key: row[key] for key in ("open", "overdue", "soon")}


def _day_start(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz)


def period_bounds(start: date | None, end: date | None, unit: Unit | None):
    """Return the instants that open *start* and close *end* (both days included) in a zone.

    The days are the chosen unit's; without one, the site's (TIME_ZONE).
    """
    tz = unit.tz if unit else ZoneInfo(settings.TIME_ZONE)
    return (
        _day_start(start, tz) if start else None,
        _day_start(end + timedelta(days=1), tz) if end else None,
    )


def flag_list(*, user, filters: dict, cursor: str | None = None, limit: int = 25) -> Page:
    """Return a page of the flags of the units *user* audits, newest first.

    *filters* is cleaned FlagFilterForm data: kind, unit (with its branch), raised_from/to.
    """
    units = units_for(user, Capability.AUDIT)
    if filters.get("unit"):
        units = units.filter(path__startswith=filters["unit"].path)
    qs = CaseFlag.objects.filter(case__unit__in=units).select_related("case", "case__unit")
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    start, end = period_bounds(
        filters.get("raised_from"), filters.get("raised_to"), filters.get("unit")
    )
    if start:
        qs = qs.filter(raised_at__gte=start)
    if end:
        qs = qs.filter(raised_at__lt=end)
    return keyset_page(qs, field="raised_at", descending=True, cursor=cursor, limit=limit)


AUDIT_COLUMNS = (
    "at",
    "case__reference",
    "case__unit__name",
    "case__unit__time_zone",
    "kind",
    "actor__username",
    "origin",
    "is_public",
    "message",
)


def audit_events(*, user, start: datetime, end: datetime, unit: Unit | None = None) -> Iterator:
    """Yield the events of the units *user* audits in [start, end), oldest first, as tuples.

    Each tuple holds AUDIT_COLUMNS; rows are read in chunks, never all at once.
    """
    units = units_for(user, Capability.AUDIT)
    if unit is not None:
        units = units.filter(path__startswith=unit.path)
    qs = (
        CaseEvent.objects.filter(case__unit__in=units, at__gte=start, at__lt=end)
        .order_by("at", "id")
        .values_list(*AUDIT_COLUMNS)
    )
    return qs.iterator(chunk_size=2000)
