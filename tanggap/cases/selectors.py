"""Reads of cases, always scoped to the units the acting user may see."""

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet

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


def case_list(*, user, filters: dict, cursor: str | None = None, limit: int = 25) -> Page:
    """Return one page of the visible cases matching *filters* (cleaned CaseFilterForm data)."""
    qs = cases_visible_to(user).select_related("unit", "category")
    for name in ("status", "kind", "channel", "category"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("unit"):
        qs = qs.filter(unit__path__startswith=filters["unit"].path)
    if text := (filters.get("q") or "").strip():
        # By label: intake sits below cases in the layering.
        report = apps.get_model("intake", "Report")
        matching = report.objects.filter(case=OuterRef("pk")).filter(
            Q(description__icontains=text) | Q(tracking_code__iexact=text)
        )
        qs = qs.filter(Q(title__icontains=text) | Q(reference__iexact=text) | Exists(matching))
    field, descending = SORTS.get(filters.get("sort") or "due", SORTS["due"])
    return keyset_page(qs, field=field, descending=descending, cursor=cursor, limit=limit)


def case_timeline(*, case: Case, public_only: bool) -> QuerySet[CaseEvent]:
    """Return the events of *case*, only the public ones for the reporter."""
    qs = case.events.select_related("actor")
    return qs.filter(is_public=True) if public_only else qs
