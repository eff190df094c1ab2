"""API: submitting a report (citizens' apps and integrations) and tracking it by code and PIN."""

from datetime import datetime, timedelta
from typing import Literal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Field, Header, Router, Schema, Status
from pydantic import field_validator

from tanggap.accounts.api import api_token, api_units, optional_token
from tanggap.accounts.roles import Capability
from tanggap.accounts.selectors import units_accepting_reports
from tanggap.cases.choices import CaseStatus, Channel, ReportKind
from tanggap.cases.selectors import case_timeline
from tanggap.common.addresses import client_address
from tanggap.common.api import COMMON_ERRORS, ErrorOut, PlainText, error_response, form_errors
from tanggap.common.api_idempotency import KEY_PATTERN, request_uuid
from tanggap.common.exceptions import ApplicationError
from tanggap.common.throttle import throttle_count, throttle_locked_until

from .forms import ReportForm, TrackForm
from .lookup import report_lookup
from .services import report_submit
from .views.public import form_to_input

router = Router(tags=["reports"])

IdempotencyKey = Header(alias="Idempotency-Key", min_length=8, max_length=200, pattern=KEY_PATTERN)
Kind = Literal[tuple(ReportKind.values)]


class ReportIn(Schema):
    unit: int
    kind: Kind = ReportKind.COMPLAINT.value
    title: str = Field(min_length=5, max_length=200)
    description: str = Field(min_length=20, max_length=5000)
    service: int | None = None
    category: int | None = None
    occurred_at: datetime | None = None
    location_text: str = Field("", max_length=300)
    latitude: float | None = Field(None, ge=-11, le=6, allow_inf_nan=False)
    longitude: float | None = Field(None, ge=94, le=142, allow_inf_nan=False)
    anonymous: bool = False
    confidential: bool = False
    name: str = Field("", max_length=120)
    email: str = Field("", max_length=200)
    phone: str = Field("", max_length=20)
    language: Literal["id", "en"] | None = None
    external_ref: PlainText = Field(
        "",
        max_length=200,
        description="With a token: your system's id of the report; a repeat returns the first.",
    )

    @field_validator("occurred_at")
    @classmethod
    def _plausible(cls, value):
        if value is not None and value.year < 2000:
            raise ValueError("before 2000")
        return value


class ReceiptOut(Schema):
    tracking_code: str
    created: bool
    pin: str | None = Field(None, description="Shown once, on creation; keep it for tracking.")
    tracking_link: str | None = Field(None, description="Secret link, shown once.")
    status: str
    received_at: datetime
    due_at: datetime | None


class TrackIn(Schema):
    code: str = Field(max_length=64)
    pin: str = Field(max_length=16)


class EventOut(Schema):
    at: datetime
    kind: str
    label: str
    message: str


class TrackOut(Schema):
    tracking_code: str
    kind: str
    title: str
    unit: str
    status: str
    status_label: str
    received_at: datetime
    due_at: datetime | None
    timeline: list[EventOut]


def _form_data(data: ReportIn) -> dict:
    return {
        "kind": data.kind,
        "unit": data.unit,
        "service": data.service or "",
        "category": data.category or "",
        "title": data.title,
        "description": data.description,
        "occurred_at": data.occurred_at or "",
        "location_text": data.location_text,
        "latitude": "" if data.latitude is None else str(data.latitude),
        "longitude": "" if data.longitude is None else str(data.longitude),
        "identity": "anonymous" if data.anonymous else "identified",
        "is_confidential": data.confidential,
        "name": data.name,
        "email": data.email,
        "phone": data.phone,
    }


def _receipt(request, submission) -> dict:
    report = submission.report
    link = None
    if submission.link_token:
        link = request.build_absolute_uri(
            reverse("intake:track_link", args=[submission.link_token])
        )
    return {
        "tracking_code": report.tracking_code,
        "created": submission.created,
        "pin": submission.pin,
        "tracking_link": link,
        "status": report.case.status,
        "received_at": report.created_at,
        "due_at": report.case.due_at,
    }


def _address_locked(request):
    until = throttle_locked_until(key=f"report:addr:{client_address(request)}")
    if until:
        when = timezone.localtime(until).strftime("%H:%M")
        return error_response(
            429,
            "rate_limited",
            _("Many reports were sent from this connection in the last hour; try again at %(t)s.")
            % {"t": when},
        )
    return None


@router.post(
    "/reports",
    response={200: ReceiptOut, 201: ReceiptOut, 401: ErrorOut, 403: ErrorOut} | COMMON_ERRORS,
    auth=optional_token,
    # A citizen sends no token: the operation is open, a token is optional.
    openapi_extra={"security": [{}]},
)
def report_create(request, data: ReportIn, idempotency_key: str = IdempotencyKey):
    """Submit a report: a complaint, criticism, suggestion, information request or appreciation.

    Without a token it is a citizen's own report (limited per connection and hour). With a
    token it is entered by the token's user for one of its units, and `external_ref` makes
    a re-sent report return the first one.
    """
    token = api_token(request)
    units = api_units(request, Capability.ENTER_REPORTS) if token else units_accepting_reports()
    form = ReportForm(_form_data(data), units=units)
    if not form.is_valid():
        return error_response(
            422, "invalid", _("Some fields are not valid."), fields=form_errors(form)
        )
    if token is None and (locked := _address_locked(request)):
        return locked
    extra = {
        "channel": Channel.API,
        "language": data.language or translation.get_language() or settings.LANGUAGE_CODE,
    }
    if token:
        extra |= {"received_by": token.user}
        if data.external_ref.strip():
            extra |= {"external_source": f"api:{token.pk}", "external_ref": data.external_ref}
    report_input = form_to_input(form, **extra)
    report_input.submission_key = request_uuid(request)
    submission = report_submit(report_input)
    if token is None and submission.created:
        throttle_count(
            key=f"report:addr:{client_address(request)}",
            limit=settings.REPORTS_PER_ADDRESS_PER_HOUR,
            window=timedelta(hours=1),
        )
    return Status(201 if submission.created else 200, _receipt(request, submission))


@router.post("/reports/track", response={200: TrackOut} | COMMON_ERRORS, auth=None)
def report_track(request, data: TrackIn, idempotency_key: str = IdempotencyKey):
    """Return a report's status, deadline and public timeline, given its tracking code and PIN.

    Wrong attempts count against the code and the connection, as on the tracking page;
    past the limit tracking is locked for a while (429).
    """
    form = TrackForm({"code": data.code, "pin": data.pin})
    if not form.is_valid():
        return error_response(
            422, "invalid", _("Some fields are not valid."), fields=form_errors(form)
        )
    try:
        report = report_lookup(
            code=form.cleaned_data["code"],
            pin=form.cleaned_data["pin"],
            address=client_address(request),
        )
    except ApplicationError as exc:
        status = 429 if exc.code == "locked" else 400
        return error_response(status, exc.code, exc.message)
    case = report.case
    events = case_timeline(case=case, public_only=True).order_by("at", "id")
    return {
        "tracking_code": report.tracking_code,
        "kind": report.kind,
        "title": report.title,
        "unit": report.unit.name,
        "status": case.status,
        "status_label": str(CaseStatus(case.status).label),
        "received_at": report.created_at,
        "due_at": case.due_at,
        "timeline": [
            {"at": e.at, "kind": e.kind, "label": e.get_kind_display(), "message": e.message}
            for e in events
        ],
    }
