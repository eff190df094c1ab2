"""Recording survey responses: validated by element key, one per code, suspicious ones flagged."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from tanggap.common.exceptions import ApplicationError

from .choices import ResponseChannel
from .index import InvalidAnswer, validate_answers
from .models import SurveyPeriod, SurveyResponse

DUPLICATE_WINDOW = timedelta(minutes=10)
BURST_WINDOW = timedelta(hours=1)
BURST_LIMIT = 20


@dataclass
class ResponseInput:
    """What a kiosk, a phone, an invitation or a surveyor's paper entry hands over."""

    period: SurveyPeriod
    channel: str
    answers: dict
    service: object = None
    counter: object = None
    comment: str = ""
    gender: str = ""
    age: int | None = None
    education: str = ""
    occupation: str = ""
    served_at: datetime | None = None
    ticket_code: str = ""
    client_key: object = None
    source: str = ""
    entered_by: object = None
    # When a kiosk queued the answers (an outage may delay them past the period's end).
    answered_on: date | None = None


def _clean_answers(raw: dict) -> dict:
    try:
        answers = validate_answers(raw)
    except InvalidAnswer as exc:
        raise ApplicationError(
            _("An answer is not valid: %(detail)s") % {"detail": exc}, code="answer"
        ) from None
    if all(v is None for v in answers.values()):
        raise ApplicationError(_("Answer at least one question."), code="empty")
    return answers


def _check_period(data: ResponseInput) -> None:
    period = data.period
    if not period.is_open_on(data.answered_on or timezone.localdate()):
        raise ApplicationError(_("This survey period is closed."), code="closed")
    if period.requires_code and not data.ticket_code.strip():
        raise ApplicationError(_("Enter the code printed on your ticket."), code="code_missing")
    if data.service and data.service.unit_id != period.unit_id:
        raise ApplicationError(_("The service belongs to another unit."), code="service")


def _suspicion(data: ResponseInput, answers: dict, digest: str) -> str:
    # Without a ticket code, integrity rests on the source: identical answers in quick
    # succession, or a burst from one source, are flagged for an officer to look at.
    # Not at a kiosk: it stands at a staffed counter, many citizens give the same answers
    # one after another, and a queue sent after an outage arrives as a burst by design.
    if not digest or data.channel == ResponseChannel.KIOSK:
        return ""
    now = timezone.now()
    recent = SurveyResponse.objects.filter(source_digest=digest, created_at__gte=now - BURST_WINDOW)
    if recent.filter(created_at__gte=now - DUPLICATE_WINDOW, answers=answers).exists():
        return "identical answers from the same source within 10 minutes"
    if recent.count() >= BURST_LIMIT:
        return "more than 20 responses from the same source within an hour"
    return ""


def response_record(data: ResponseInput) -> tuple[SurveyResponse, bool]:
    """Store one response; a repeated client key returns the stored one (a kiosk resend)."""
    if data.client_key and (
        existing := SurveyResponse.objects.filter(client_key=data.client_key).first()
    ):
        return existing, False
    answers = _clean_answers(data.answers)
    _check_period(data)
    # Kiosks share one address, so the counter is part of the source.
    digest = ""
    if data.source:
        digest = salted_hmac("tanggap.surveys.source", data.source, algorithm="sha256").hexdigest()
    try:
        with transaction.atomic():
            reason = _suspicion(data, answers, digest)
            response = SurveyResponse.objects.create(
                period=data.period,
                unit_id=data.period.unit_id,
                service=data.service,
                counter=data.counter,
                channel=data.channel,
                answers=answers,
                comment=data.comment.strip()[:2000],
                gender=data.gender,
                age=data.age,
                education=data.education,
                occupation=data.occupation,
                served_at=data.served_at,
                ticket_code=data.ticket_code.strip().upper(),
                client_key=data.client_key,
                source_digest=digest,
                is_flagged=bool(reason),
                flag_reason=reason,
                entered_by=data.entered_by,
            )
    except IntegrityError:
        if data.client_key and (
            existing := SurveyResponse.objects.filter(client_key=data.client_key).first()
        ):
            return existing, False
        raise ApplicationError(
            _("This ticket code has already been used for the survey."), code="code_used"
        ) from None
    return response, True
