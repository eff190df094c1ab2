"""API: a citizen's SKM (satisfaction survey) response, from an app or a partner's kiosk."""

import uuid
from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from tanggap.accounts.models import Counter, Service, Unit
from tanggap.common.addresses import client_address
from tanggap.common.api import COMMON_ERRORS, ErrorOut, PlainText, error_response, form_errors
from tanggap.common.api_idempotency import request_uuid
from tanggap.intake.api import IdempotencyKey

from .choices import ResponseChannel
from .elements import ELEMENT_KEYS
from .forms import KioskBodyForm
from .index import InvalidAnswer, validate_answers
from .selectors import open_period_for
from .services import ResponseInput, response_record

router = Router(tags=["surveys"])


class SurveyResponseIn(Schema):
    unit: int | None = Field(None, description="The unit served; or give a counter or service.")
    counter: PlainText | None = Field(None, max_length=60, description="The counter's code.")
    service: int | None = None
    answers: dict[str, int | None] = Field(
        description=f"Element key → answer 1 to 4: {', '.join(ELEMENT_KEYS)}.",
    )
    extra_answers: dict[str, int | PlainText | None] = Field(
        default_factory=dict, description="The unit's own questions: question id → answer."
    )
    ticket_code: str = Field("", max_length=40)
    comment: str = Field("", max_length=2000)
    gender: str = Field("", max_length=2)
    age: int | None = None
    education: str = Field("", max_length=12)
    occupation: str = Field("", max_length=12)
    client_key: uuid.UUID | None = Field(None, description="A resend with this key is stored once.")


class SurveyResponseOut(Schema):
    id: int
    created: bool
    period_id: int
    created_at: datetime


def _target(data: SurveyResponseIn):
    """Return (unit, service, counter) named by the response."""
    if data.counter:
        counter = get_object_or_404(Counter, code=data.counter, is_active=True)
        return counter.unit, None, counter
    if data.service:
        service = get_object_or_404(Service, pk=data.service, is_active=True)
        return service.unit, service, None
    if data.unit:
        return get_object_or_404(Unit, pk=data.unit), None, None
    return None, None, None


@router.post(
    "/surveys/responses",
    response={200: SurveyResponseOut, 201: SurveyResponseOut, 404: ErrorOut, 409: ErrorOut}
    | COMMON_ERRORS,
    auth=None,
)
def survey_response_create(request, data: SurveyResponseIn, idempotency_key: str = IdempotencyKey):
    """Record one SKM response for the unit's open survey period (409 when none is open)."""
    unit, service, counter = _target(data)
    if unit is None:
        return error_response(
            422,
            "invalid",
            _("Name the unit, the service or the counter."),
            fields=[{"field": "unit", "message": _("This field is required.")}],
        )
    if data.unit and data.unit != unit.pk:
        return error_response(
            422, "unit", _("The service or counter belongs to another unit than the one named.")
        )
    try:
        answers = validate_answers(data.answers)
    except InvalidAnswer as exc:
        return error_response(
            422, "answer", _("An answer is not valid: %(detail)s") % {"detail": exc}
        )
    period = open_period_for(unit=unit, service=service)
    if period is None:
        return error_response(409, "closed", _("This unit has no open survey period."))
    profile = data.dict(
        include={"ticket_code", "comment", "gender", "age", "education", "occupation"}
    )
    form = KioskBodyForm({k: v for k, v in profile.items() if v not in (None, "")}, period=period)
    if not form.is_valid():
        return error_response(
            422, "invalid", _("Some fields are not valid."), fields=form_errors(form)
        )
    response, created = response_record(
        ResponseInput(
            period=period,
            channel=ResponseChannel.ONLINE,
            answers=answers,
            extra_answers=data.extra_answers,
            service=service or period.service or form.cleaned_data.get("service"),
            counter=counter,
            client_key=data.client_key or request_uuid(request),
            source=f"{client_address(request)}|{counter.pk if counter else ''}",
            **form.profile(),
        )
    )
    body = {
        "id": response.pk,
        "created": created,
        "period_id": response.period_id,
        "created_at": response.created_at,
    }
    return Status(201 if created else 200, body)
