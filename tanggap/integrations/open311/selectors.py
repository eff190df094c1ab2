"""Reads of the Open311 adapter: services, keys, and the public view of requests.

Open311 reads are public and keyless, so instead of a user's scope every request read starts
from ``public_requests``: confidential reports and cases are never in it, whatever the query.
"""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery

from tanggap.accounts.models import Organisation
from tanggap.cases.choices import CLOSED_STATUSES, OPEN_STATUSES
from tanggap.cases.models import CaseEvent
from tanggap.intake.models import Report

from .keys import key_digest
from .models import ApiKey, Open311Request, ServiceAttribute, ServiceDefinition
from .params import SearchInput


def jurisdiction_find(jurisdiction_id: str | None) -> Organisation | None:
    """Return the organisation a jurisdiction_id names (its short name); None when not sent.

    Raise Organisation.DoesNotExist for an unknown one.
    """
    if jurisdiction_id is None:
        return None
    return Organisation.objects.get(slug=jurisdiction_id)


def api_key_find(raw: str | None) -> ApiKey | None:
    """Return the active key whose digest matches *raw*, or None."""
    if not raw or len(raw) > 200:
        return None
    return (
        ApiKey.objects.select_related("unit", "organisation")
        .filter(digest=key_digest(raw), revoked_at__isnull=True)
        .first()
    )


def services_offered(organisation: Organisation | None) -> QuerySet[ServiceDefinition]:
    """Return the active service definitions, of one organisation when given."""
    qs = ServiceDefinition.objects.filter(is_active=True).prefetch_related(
        Prefetch("attributes", queryset=ServiceAttribute.objects.order_by("order"))
    )
    if organisation is not None:
        qs = qs.filter(unit__organisation=organisation)
    return qs.order_by("service_code")


def service_find(code: str, organisation: Organisation | None) -> ServiceDefinition | None:
    """Return the active definition of *code*, or None."""
    return services_offered(organisation).select_related("unit").filter(service_code=code).first()


def public_requests(organisation: Organisation | None) -> QuerySet[Open311Request]:
    """Return the Open311 requests that may be shown to anyone: never a confidential one.

    A request is left out when its report, its service or its case is confidential, or when
    any other report joined to its case is: the case is then about a confidential matter.
    """
    confidential_sibling = Report.objects.filter(
        case_id=OuterRef("report__case_id"), is_confidential=True
    )
    last_public = (
        CaseEvent.objects.filter(case=OuterRef("report__case"), is_public=True)
        .order_by("-at", "-id")
        .values("at")[:1]
    )
    qs = (
        Open311Request.objects.filter(
            report__is_confidential=False,
            report__case__is_confidential=False,
            definition__is_confidential=False,
        )
        .exclude(Exists(confidential_sibling))
        .select_related("definition", "report__case__unit")
        .annotate(last_public_at=Subquery(last_public))
    )
    if organisation is not None:
        qs = qs.filter(report__case__organisation=organisation)
    return qs


def requests_search(search: SearchInput, organisation: Organisation | None) -> list[Open311Request]:
    """Return one page of public requests matching *search*, newest first."""
    qs = public_requests(organisation)
    if search.ids is not None:
        return list(qs.filter(report_id__in=search.ids).order_by("-report_id")[:1000])
    if search.service_codes:
        qs = qs.filter(definition__service_code__in=search.service_codes)
    if search.statuses == {"open"}:
        qs = qs.filter(report__case__status__in=OPEN_STATUSES)
    elif search.statuses == {"closed"}:
        qs = qs.filter(report__case__status__in=CLOSED_STATUSES)
    qs = qs.filter(report__created_at__gte=search.start, report__created_at__lte=search.end)
    offset = (search.page - 1) * search.page_size
    return list(qs.order_by("-report__created_at", "-id")[offset : offset + search.page_size])


def request_find(request_id: str, organisation: Organisation | None) -> Open311Request | None:
    """Return the public request with this id (the report's number), or None."""
    if not request_id.isdigit() or len(request_id) > 18:
        return None
    return public_requests(organisation).filter(report_id=int(request_id)).first()


def request_by_token(token: str, organisation: Organisation | None) -> Open311Request | None:
    """Return the public request a POST's token stands for, or None."""
    if len(token) > 40:
        return None
    return public_requests(organisation).filter(token=token).first()
