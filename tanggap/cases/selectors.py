"""Reads of cases, always scoped to the units the acting user may see."""

from django.apps import apps
from django.db.models import QuerySet

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
    few = False
    text = (filters.get("q") or "").strip()
    if text or filters.get("code"):
        qs, few = _search(qs, text=text, code=filters.get("code"))
    field, descending = SORTS.get(filters.get("sort") or "due", SORTS["due"])
    unit_ids = list(units.values_list("id", flat=True))
    page = {"field": field, "descending": descending, "cursor": cursor, "limit": limit}
    # A few known matches are sorted directly; otherwise each unit's index range is read.
    if few:
        return keyset_page(qs.filter(unit_id__in=unit_ids), **page)
    return keyset_page(qs, partition=("unit_id", unit_ids), **page)


def case_timeline(*, case: Case, public_only: bool) -> QuerySet[CaseEvent]:
    """Return the events of *case*, only the public ones for the reporter."""
    qs = case.events.select_related("actor")
    return qs.filter(is_public=True) if public_only else qs
