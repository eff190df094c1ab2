"""Reads of imports and of the cases to export, scoped to the acting user's units."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from tanggap.accounts.models import Unit
from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import get_scoped_or_404, units_for
from tanggap.cases.choices import EventKind
from tanggap.cases.models import Case, CaseEvent
from tanggap.intake.models import Report
from tanggap.responses.choices import ReplyStatus
from tanggap.responses.models import Reply

from .models import Import, ImportRow, RowStatus

IMPORT_CAPABILITY = Capability.ENTER_REPORTS
EXPORT_CAPABILITY = Capability.HANDLE_CASES


def import_units(user) -> QuerySet[Unit]:
    """Return the units *user* may import reports into."""
    return units_for(user, IMPORT_CAPABILITY).order_by("name")


def export_units(user) -> QuerySet[Unit]:
    """Return the units whose cases *user* may export."""
    return units_for(user, EXPORT_CAPABILITY).order_by("name")


def imports_visible_to(user) -> QuerySet[Import]:
    """Return the imports of *user*'s units, newest first."""
    return Import.objects.filter(unit__in=import_units(user)).select_related("unit", "uploaded_by")


def import_get(user, pk: int) -> Import:
    """Return one import of *user*'s units, or 404."""
    return get_scoped_or_404(imports_visible_to(user), pk=pk)


def import_problem_rows(batch: Import) -> QuerySet[ImportRow]:
    """Return the rows of *batch* with errors, in file order, without their values."""
    return (
        batch.rows.filter(status__in=[RowStatus.INVALID, RowStatus.FAILED])
        .only("number", "status", "errors", "batch_id")
        .order_by("number")
    )


def import_notice_rows(batch: Import) -> QuerySet[ImportRow]:
    """Return the rows of *batch* that are imported with a remark, in file order."""
    return (
        batch.rows.exclude(notices=[])
        .exclude(status__in=[RowStatus.INVALID, RowStatus.FAILED])
        .only("number", "status", "notices", "batch_id")
        .order_by("number")
    )


def import_row_summary(batch: Import) -> dict[str, int]:
    """Return how many rows of *batch* are in each result."""
    return dict(batch.rows.values_list("status").annotate(n=Count("id")).order_by())


def export_cases(*, user, unit: Unit, start: date, end: date, lapor_only: bool = False):
    """Return the cases of *unit* and its sub-units received from *start* to *end* (inclusive).

    Each carries ``lapor_refs`` (its reports' LAPOR! tracking ids), ``follow_ups`` (its
    published replies) and ``imported_close`` (the archive event of a case finished in
    LAPOR! before it was imported). A unit outside the user's export scope gives 404.
    """
    unit = get_scoped_or_404(export_units(user), pk=unit.pk)
    tz = unit.tz
    since = datetime.combine(start, time.min, tzinfo=tz)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    cases = Case.objects.filter(
        unit__path__startswith=unit.path, received_at__gte=since, received_at__lt=until
    )
    if lapor_only:
        cases = cases.filter(reports__external_source="lapor").distinct()
    anonymous = Report.objects.filter(case=OuterRef("pk"), is_anonymous=True)
    return (
        cases.select_related("unit", "category")
        .annotate(is_anonymous=Exists(anonymous))
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=Report.objects.filter(external_source="lapor")
                .only("case_id", "external_ref")
                .order_by("id"),
                to_attr="lapor_refs",
            ),
            Prefetch(
                "replies",
                queryset=Reply.objects.filter(status=ReplyStatus.PUBLISHED)
                .only("case_id", "body", "published_at")
                .order_by("published_at", "id"),
                to_attr="follow_ups",
            ),
            Prefetch(
                "events",
                queryset=CaseEvent.objects.filter(
                    Q(kind=EventKind.ARCHIVED) & Q(data__imported=True)
                ).only("case_id", "data"),
                to_attr="imported_close",
            ),
        )
        .order_by("received_at", "id")
    )
