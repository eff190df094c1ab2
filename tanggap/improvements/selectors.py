"""Reads of actions and incidents, scoped to the acting user's units; public reads apart."""

from django.db.models import Count, Q, QuerySet

from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import get_scoped_or_404, units_for
from tanggap.cases.choices import OPEN_STATUSES, ReportKind
from tanggap.cases.selectors import cases_visible_to
from tanggap.surveys.elements import ELEMENTS
from tanggap.surveys.index import rank_weakest
from tanggap.surveys.models import SurveyPeriod
from tanggap.surveys.selectors import period_summary

from .choices import ActionStatus, IncidentStatus
from .models import ImprovementAction, Incident

SEARCH_LIMIT = 50
WEAK_ELEMENTS = 3


def actions_visible_to(user, capability: str = Capability.VIEW_CASES) -> QuerySet:
    """Return the actions of the units on which *user* holds *capability*."""
    return ImprovementAction.objects.filter(unit__in=units_for(user, capability))


def action_list(*, user) -> list[ImprovementAction]:
    """Return the user's units' actions, newest first, with their case counts (one query)."""
    return list(
        actions_visible_to(user)
        .select_related("unit", "owner")
        .annotate(case_count=Count("links"))
        .order_by("-created_at", "-id")
    )


def action_get(*, user, action_id: int, capability: str = Capability.VIEW_CASES):
    """Return a visible action, or 404 for another unit's."""
    qs = actions_visible_to(user, capability).select_related("unit", "owner")
    return get_scoped_or_404(qs, pk=action_id)


def action_links(action: ImprovementAction):
    """Return the links of *action* with their cases, newest first (a staff page)."""
    return action.links.select_related("case", "linked_by").order_by("-linked_at", "-id")


def incidents_visible_to(user, capability: str = Capability.VIEW_CASES) -> QuerySet:
    """Return the incidents of the units on which *user* holds *capability*."""
    return Incident.objects.filter(unit__in=units_for(user, capability))


def incident_list(*, user) -> list[Incident]:
    """Return the user's units' incidents, newest first, with their case counts (one query)."""
    return list(
        incidents_visible_to(user)
        .select_related("unit")
        .annotate(case_count=Count("links"))
        .order_by("-started_at", "-id")
    )


def incident_get(*, user, incident_id: int, capability: str = Capability.VIEW_CASES):
    """Return a visible incident, or 404 for another unit's."""
    qs = incidents_visible_to(user, capability).select_related("unit", "closed_by")
    return get_scoped_or_404(qs, pk=incident_id)


def incident_links(incident: Incident):
    """Return the links of *incident* with their cases."""
    return incident.links.select_related("case", "linked_by").order_by("-linked_at", "-id")


def incident_candidates(*, user, incident: Incident, text: str) -> list:
    """Return open cases of the incident's unit tree matching *text*, not linked yet.

    ``icontains`` on ``search_text`` is ``UPPER(search_text) LIKE UPPER(...)`` on PostgreSQL,
    which the trigram index (cases' ``case_search_trgm``) answers.
    """
    text = (text or "").strip()
    if len(text) < 3:
        return []
    return list(
        cases_visible_to(user, Capability.HANDLE_CASES)
        .filter(
            unit__path__startswith=incident.unit.path,
            status__in=OPEN_STATUSES,
            search_text__icontains=text,
        )
        .exclude(incident_links__incident=incident)
        .select_related("unit")
        .order_by("-received_at", "-id")[:SEARCH_LIMIT]
    )


def periods_for(action: ImprovementAction) -> QuerySet:
    """Return the survey periods of the action's unit tree, newest first."""
    return SurveyPeriod.objects.filter(unit__path__startswith=action.unit.path).order_by(
        "-starts_on", "-id"
    )


def weak_elements(period: SurveyPeriod, *, limit: int = WEAK_ELEMENTS) -> list[tuple]:
    """Return (key, name, NRR) of the period's lowest-scoring elements, weakest first."""
    result = period_summary(period).result
    if result is None:
        return []
    weakest = rank_weakest(result.nrr)[:limit]
    return [(key, element_name(key), float(nrr)) for key, nrr in weakest]


def element_name(key: str) -> str:
    """Return the Indonesian name of an SKM element (the regulation's own words)."""
    return ELEMENTS[key].name_id


# Public reads: published actions only, and never a case's reference or text.


def published_actions() -> list[ImprovementAction]:
    """Return the published actions, newest first, with how many reports led to each."""
    return list(
        ImprovementAction.objects.filter(is_published=True)
        .select_related("unit")
        .annotate(case_count=Count("links"))
        .order_by("-published_at", "-id")
    )


def published_action_get(action_id: int) -> ImprovementAction:
    """Return a published action or 404."""
    return get_scoped_or_404(
        ImprovementAction.objects.filter(is_published=True).select_related("unit"), pk=action_id
    )


def public_counts(action: ImprovementAction) -> dict:
    """Return counts of the action's cases: total, by kind, and confidential ones (no text)."""
    counts = action.links.aggregate(
        total=Count("id"),
        confidential=Count("id", filter=Q(case__is_confidential=True)),
        **{kind: Count("id", filter=Q(case__kind=kind)) for kind in ReportKind.values},
    )
    by_kind = [(ReportKind(k).label, counts[k]) for k in ReportKind.values if counts[k]]
    return {"total": counts["total"], "confidential": counts["confidential"], "by_kind": by_kind}


def ancestor_paths(path: str) -> list[str]:
    """Return the materialised paths of a unit (by its *path*) and every unit above it."""
    ids = [i for i in path.strip("/").split("/") if i]
    return ["/" + "/".join(ids[: n + 1]) + "/" for n in range(len(ids))]


def link_targets(*, user, case) -> tuple[list, list]:
    """Return the actions and open incidents *case* may join: of its unit or a unit above."""
    paths = ancestor_paths(case.unit.path)
    actions = (
        actions_visible_to(user, Capability.HANDLE_CASES)
        .filter(unit__path__in=paths)
        .exclude(status=ActionStatus.CANCELLED)
        .exclude(links__case=case)
        .select_related("unit")
        .order_by("-created_at")
    )
    incidents = (
        incidents_visible_to(user, Capability.HANDLE_CASES)
        .filter(unit__path__in=paths)
        .exclude(status=IncidentStatus.RESOLVED)
        .exclude(links__case=case)
        .select_related("unit")
        .order_by("-started_at")
    )
    return list(actions[:100]), list(incidents[:100])


def case_memberships(*, user, case) -> tuple[list, list]:
    """Return the visible actions and incidents *case* is linked to."""
    actions = actions_visible_to(user).filter(links__case=case).select_related("unit")
    incidents = incidents_visible_to(user).filter(links__case=case).select_related("unit")
    return list(actions), list(incidents)
