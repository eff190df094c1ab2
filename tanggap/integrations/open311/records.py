"""The GeoReport v2 records built from our rows, field order as in the spec.

What a public request record may show is decided here, once:
- never a name, e-mail, telephone, device or account id, and never media (a photo can expose an
  anonymous reporter; attachments are only streamed to the unit's officers);
- the description, address and coordinates only when the service publishes details, and not
  for a rejected case (spam or abusive text stays unpublished);
- status notes are the organisation's label of the status, never an officer's free text;
- e-mail addresses and runs of ten or more digits (telephone numbers, the 16-digit NIK)
  typed into a published description are masked, as a net under the unit's own choice.
"""

from datetime import datetime

from tanggap.cases.choices import CLOSED_STATUSES, OPEN_STATUSES, UNIT_STEPS, CaseStatus
from tanggap.cases.templatetags.case_labels import status_label
from tanggap.insights import pii

from .choices import LIST_DATATYPES, ServiceType
from .models import Open311Request, ServiceAttribute, ServiceDefinition


def w3c(moment: datetime | None, tz=None) -> str | None:
    """Return a W3C datetime with its offset, in *tz* (the unit's zone) when given."""
    if moment is None:
        return None
    return (moment.astimezone(tz) if tz else moment).isoformat(timespec="seconds")


def service_record(definition: ServiceDefinition) -> dict:
    """Return the Service List entry of *definition* (attributes prefetched)."""
    return {
        "service_code": definition.service_code,
        "service_name": definition.name,
        "description": definition.description,
        "metadata": bool(definition.attributes.all()),
        "type": definition.type,
        "keywords": definition.keywords,
        "group": definition.group,
    }


def attribute_record(attribute: ServiceAttribute) -> dict:
    """Return one attribute of a service definition."""
    record = {
        "variable": attribute.variable,
        "code": attribute.code,
        "datatype": attribute.datatype,
        "required": attribute.required,
        "datatype_description": attribute.datatype_description,
        "order": attribute.order,
        "description": attribute.description,
    }
    if attribute.datatype in LIST_DATATYPES:
        record["values"] = [
            {"key": str(item["key"]), "name": str(item["name"])} for item in attribute.values
        ]
    return record


def definition_record(definition: ServiceDefinition) -> dict:
    """Return the Service Definition of *definition* (attributes prefetched)."""
    return {
        "service_code": definition.service_code,
        "attributes": [attribute_record(a) for a in definition.attributes.all()],
    }


def _expected(case) -> datetime | None:
    # Only the unit's own running deadline is a promise; a wait on the reporter is not.
    if case.status in OPEN_STATUSES and case.due_step in UNIT_STEPS:
        return case.due_at
    return None


def request_record(request: Open311Request) -> dict:
    """Return the public Service Request record of *request* (from public_requests)."""
    report, case, definition = request.report, request.report.case, request.definition
    tz = case.unit.tz
    closed = case.status in CLOSED_STATUSES
    updated = case.closed_at if closed and case.closed_at else request.last_public_at
    details = definition.publish_details and case.status != CaseStatus.REJECTED
    return {
        "service_request_id": str(report.pk),
        "status": "closed" if closed else "open",
        "status_notes": str(status_label(case)),
        "service_name": definition.name,
        "service_code": definition.service_code,
        "description": pii.mask(report.description) if details else None,
        "agency_responsible": case.unit.name,
        "service_notice": definition.service_notice or None,
        "requested_datetime": w3c(report.created_at, tz),
        "updated_datetime": w3c(updated or report.created_at, tz),
        "expected_datetime": w3c(_expected(case), tz),
        "address": (pii.mask(report.location_text) or None) if details else None,
        "address_id": (request.address_id or None) if details else None,
        "lat": float(report.latitude) if details and report.latitude is not None else None,
        "long": float(report.longitude) if details and report.longitude is not None else None,
    }


def submitted_record(request: Open311Request) -> dict:
    """Return the POST answer: the id for a realtime service, the token for a batch one."""
    realtime = request.definition.type == ServiceType.REALTIME
    return {
        "service_request_id": str(request.report_id) if realtime else None,
        "token": None if realtime else request.token,
        "service_notice": request.definition.service_notice or None,
    }
