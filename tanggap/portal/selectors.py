"""Reads of the portal: what the public may see, and what an officer may publish.

Every public read starts from ``published()``, which re-checks confidentiality on the case
and on each of its reports: a case made confidential after publishing disappears at once,
from every page, feed, search, map and export built on it.
"""

from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet

from tanggap.accounts.models import Category, Unit
from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import get_scoped_or_404
from tanggap.cases.choices import CLOSED_STATUSES, OPEN_STATUSES, CaseStatus, EventKind
from tanggap.cases.models import Case, CaseEvent
from tanggap.cases.selectors import cases_visible_to
from tanggap.intake.models import Report

from .models import Publication

# Events shown on the public timeline (kind and date only: their messages may name people).
TIMELINE_KINDS = frozenset(
    {
        EventKind.RECEIVED,
        EventKind.VERIFIED,
        EventKind.ASSIGNED,
        EventKind.STARTED,
        EventKind.RESPONDED,
        EventKind.RESOLVED,
        EventKind.REOPENED,
        EventKind.REJECTED,
        EventKind.WITHDRAWN,
        EventKind.ARCHIVED,
        EventKind.PUBLISHED,
    }
)
# Events a follower is told about: a new status or a new public reply.
NOTIFY_KINDS = TIMELINE_KINDS - {EventKind.RECEIVED, EventKind.PUBLISHED}
STATUS_GROUPS = {"open": OPEN_STATUSES, "closed": CLOSED_STATUSES}


def published() -> QuerySet[Publication]:
    """Return the publications the public may see: active, of no confidential case or report."""
    confidential_report = Report.objects.filter(case_id=OuterRef("case_id"), is_confidential=True)
    return (
        Publication.objects.filter(is_active=True, case__is_confidential=False)
        .exclude(Exists(confidential_report))
        .select_related("case", "case__unit", "case__category")
    )


def publication_list(
    *, unit: int | None = None, category: int | None = None, status: str = "", query: str = ""
) -> QuerySet[Publication]:
    """Return the public publications matching the filters, newest first."""
    qs = published()
    if unit:
        qs = qs.filter(case__unit_id=unit)
    if category:
        qs = qs.filter(case__category_id=category)
    if status in STATUS_GROUPS:
        qs = qs.filter(case__status__in=STATUS_GROUPS[status])
    elif status in CaseStatus.values:
        qs = qs.filter(case__status=status)
    for word in query.split()[:8]:
        # Only the masked, approved texts are searched: never the reports themselves.
        qs = qs.filter(
            Q(title__icontains=word)
            | Q(text__icontains=word)
            | Q(reply__icontains=word)
            | Q(case__reference__iexact=word)
        )
    return qs.order_by("-published_at", "-id")


def publication_detail(*, reference: str) -> Publication | None:
    """Return the public publication of the case with *reference*, or None."""
    return published().filter(case__reference=reference).first()


def public_timeline(publication: Publication) -> QuerySet[CaseEvent]:
    """Return the public events of a published case, oldest first (kind and time only)."""
    return publication.case.events.filter(is_public=True, kind__in=TIMELINE_KINDS).only(
        "kind", "at", "case_id"
    )


def located(qs: QuerySet[Publication] | None = None) -> QuerySet[Publication]:
    """Return the public publications that carry (rounded) coordinates."""
    qs = published() if qs is None else qs
    return qs.filter(latitude__isnull=False, longitude__isnull=False)


def filter_choices() -> dict:
    """Return the units and categories that have public publications, for the filter form."""
    visible = published()
    return {
        "units": Unit.objects.filter(pk__in=visible.values("case__unit_id")).order_by("name"),
        "categories": Category.objects.filter(pk__in=visible.values("case__category_id")).order_by(
            "name"
        ),
    }


def publishable_case(*, user, case_id: int) -> Case:
    """Return a case the officer may publish from (scoped: another unit's case is 404)."""
    qs = cases_visible_to(user, Capability.HANDLE_CASES).select_related("unit", "category")
    return get_scoped_or_404(qs, pk=case_id)


def staff_publication(case: Case) -> Publication | None:
    """Return the publication of *case*, active or withdrawn, for its staff."""
    return Publication.objects.filter(case=case).first()


def publications_with_news() -> list[int]:
    """Return the ids of active publications with followers and events they were not told of."""
    return list(
        Publication.objects.filter(
            is_active=True,
            followers__confirmed_at__isnull=False,
            followers__unsubscribed_at__isnull=True,
        )
        .annotate(last_event=Max("case__events__id"))
        .filter(last_event__gt=F("notified_event_id"))
        .values_list("pk", flat=True)
        .distinct()
    )
