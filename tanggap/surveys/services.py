"""Recording survey responses: validated by element key, one per code, suspicious ones flagged;
the review of flagged ones."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import user_can
from tanggap.common.exceptions import ApplicationError

from .choices import FLAG_BURST, FLAG_DUPLICATE, ResponseChannel, ReviewStatus
from .index import InvalidAnswer, validate_answers
from .models import SurveyPeriod, SurveyResponse
from .selectors import question_kinds
from .unit_questions import TEXT_MAX_LENGTH, ExtraAnswerError, clean_extra_answers

DUPLICATE_WINDOW = timedelta(minutes=10)
BURST_WINDOW = timedelta(hours=1)
BURST_LIMIT = 20


@dataclass
class ResponseInput:
    """What a kiosk, a phone, an invitation or a surveyor's paper entry hands over."""

    period: SurveyPeriod
    channel: str
    answers: dict
    # Question id -> answer, for the unit's own questions (never part of the IKM).
    extra_answers: dict | None = None
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
    # A paper questionnaire found at a suggestion box's witnessed opening.
    box_opening: object = None


def _check_box_opening(data: ResponseInput) -> None:
    opening = data.box_opening
    if opening is None:
        return
    if not opening.box.unit.path.startswith(data.period.unit.path):
        raise ApplicationError(
            _("The box belongs to another unit than the survey period."), code="box_unit"
        )
    entered = opening.survey_responses.count()
    if entered >= opening.skm_forms_found:
        raise ApplicationError(
            _("All %(n)d questionnaires found at this opening are entered already.")
            % {"n": opening.skm_forms_found},
            code="box_full",
        )


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


def _clean_extra(period: SurveyPeriod, raw) -> dict:
    """Return the answers to the unit's own questions, refusing any it does not ask."""
    if not raw:
        return {}
    questions = question_kinds(period)
    try:
        return clean_extra_answers(raw, {qid: kind for qid, (kind, _text) in questions.items()})
    except ExtraAnswerError as exc:
        text = questions[exc.question_id][1] if exc.question_id in questions else ""
        if exc.code == "scale":
            message = _("The answer to “%(question)s” must be a number from 1 to 4.")
        elif exc.code == "too_long":
            message = _("The answer to “%(question)s” is too long: at most %(n)d characters.")
        elif exc.code == "text":
            message = _("The answer to “%(question)s” must be text.")
        elif exc.code == "shape":
            message = _("The answers to the unit's own questions are not valid.")
        else:
            message = _("An answer is for a question this survey does not ask.")
        raise ApplicationError(
            message % {"question": text, "n": TEXT_MAX_LENGTH}, code="extra_answer"
        ) from None


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
        return FLAG_DUPLICATE
    if recent.count() >= BURST_LIMIT:
        return FLAG_BURST
    return ""


def response_record(data: ResponseInput) -> tuple[SurveyResponse, bool]:
    """Store one response; a repeated client key returns the stored one (a kiosk resend)."""
    if data.client_key and (
        existing := SurveyResponse.objects.filter(client_key=data.client_key).first()
    ):
        return existing, False
    answers = _clean_answers(data.answers)
    _check_period(data)
    _check_box_opening(data)
    extra_answers = _clean_extra(data.period, data.extra_answers)
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
                extra_answers=extra_answers,
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
                review_status=ReviewStatus.PENDING if reason else "",
                entered_by=data.entered_by,
                box_opening=data.box_opening,
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


def response_review(*, user, response: SurveyResponse, decision: str) -> SurveyResponse:
    """Record *user*'s decision on a flagged response: kept counts in the IKM, excluded does not.

    A decision may be changed; the latest one, with who took it and when, is what counts.
    """
    if decision not in (ReviewStatus.KEPT, ReviewStatus.EXCLUDED):
        raise ApplicationError(_("Choose to keep or to exclude the response."), code="decision")
    if not user_can(user, Capability.RUN_SURVEYS, response.unit):
        raise ApplicationError(_("Your role cannot review survey responses."), code="forbidden")
    with transaction.atomic():
        locked = SurveyResponse.objects.select_for_update().get(pk=response.pk)
        if not locked.is_flagged:
            raise ApplicationError(
                _("Only a response flagged as suspicious is reviewed."), code="not_flagged"
            )
        locked.review_status = decision
        locked.reviewed_by = user
        locked.reviewed_at = timezone.now()
        locked.save(update_fields=["review_status", "reviewed_by", "reviewed_at", "updated_at"])
    return locked
