"""Reads of cases, always scoped to the units the acting user may see."""

from django.apps import apps
from django.db.models import Q, QuerySet

from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import get_scoped_or_404, units_for
from tanggap.common.pagination import Page, keyset_page

from .filters import SORTS
from .models import Case, CaseEvent


def cases_visible_to(user) -> QuerySet[Case]:
    """Return the cases of the units *user* may see."""
    return Case.objects.filter(unit__in=units_for(user, Capability.VIEW_CASES))


def case_get(*, user, case_id: int) -> Case:
    """Return a visible case or raise 404."""
    qs = cases_visible_to(user).select_related("unit", "organisation", "category", "service")
    return get_scoped_or_404(qs, pk=case_id)


def _search(qs: QuerySet[Case], *, text: str, code: str | None) -> QuerySet[Case]:
    # By label: intake sits below cases in the layering.
    report = apps.get_model("intake", "Report")
    if code:
        # An exact tracking code: the unique indexes answer it.
        return qs.filter(
            Q(reference=code)
            | Q(pk__in=report.objects.filter(tracking_code=code).values("case_id"))
        )
    # Substring match; on PostgreSQL, trigram indexes on UPPER(title) and UPPER(description)
    # serve it (migrations cases 0002 and intake 0002).
    return qs.filter(
        Q(pk__in=Case.objects.filter(title__icontains=text).values("id"))
        | Q(pk__in=report.objects.filter(description__icontains=text).values("case_id"))
    )


def case_list(*, user, filters: dict, cursor: str | None = None, limit: int = 25) -> Page:
    """Return one page of the visible cases matching *filters* (cleaned CaseFilterForm data).

    *filters* may also hold "code", a canonical tracking code to match exactly.
    """
    units = units_for(user, Capability.VIEW_CASES)
    if filters.get("unit"):
        units = units.filter(path__startswith=filters["unit"].path)
    qs = Case.objects.select_related("unit", "category")
    for name in ("status", "kind", "channel", "category"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    text = (filters.get("q") or "").strip()
    if text or filters.get("code"):
        qs = _search(qs, text=text, code=filters.get("code"))
    field, descending = SORTS.get(filters.get("sort") or "due", SORTS["due"])
    unit_ids = list(units.values_list("id", flat=True))
    # Text matches are few or spread everywhere: one query with the match set is cheaper then.
    partition = None if text else ("unit_id", unit_ids)
    if text:
        qs = qs.filter(unit_id__in=unit_ids)
    return keyset_page(
        qs, field=field, descending=descending, cursor=cursor, limit=limit, partition=partition
    )


def case_timeline(*, case: Case, public_only: bool) -> QuerySet[CaseEvent]:
    """Return the events of *case*, only the public ones for the reporter."""
    qs = case.events.select_related("actor")
    return qs.filter(is_public=True) if public_only else qs
