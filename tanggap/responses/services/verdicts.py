"""The reporter's verdict on a reply: a rating, and acceptance or objection."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tanggap.cases.choices import CaseStatus, EventKind, Step
from tanggap.cases.events import case_event_record
from tanggap.cases.models import Case
from tanggap.cases.workflow import case_reopen, case_resolve
from tanggap.common.exceptions import ApplicationError

from ..choices import Rating, ReplyStatus
from ..models import Verdict

MIN_OBJECTION, MAX_COMMENT = 10, 2000


@transaction.atomic
def verdict_record(*, report, rating: int, comment: str, accept: bool) -> Verdict:
    """Record the reporter's rating of the reply and their acceptance or objection.

    Only while the case is replied and its reply window is open, once per reply. Accepting
    resolves the case; contesting (with a reason) reopens and escalates it.
    """
    comment = (comment or "").strip()
    if rating not in Rating.values:
        raise ApplicationError(_("Choose a rating from 1 to 5."), code="rating")
    if len(comment) > MAX_COMMENT:
        raise ApplicationError(
            _("The comment is too long (at most %(n)d characters).") % {"n": MAX_COMMENT},
            code="comment",
        )
    if not accept and len(comment) < MIN_OBJECTION:
        raise ApplicationError(
            _("Tell us why you contest the reply (at least %(n)d characters).")
            % {"n": MIN_OBJECTION},
            code="comment",
        )
    case = (
        Case.objects.select_for_update(of=("self",)).select_related("unit").get(pk=report.case_id)
    )
    _check_window(case)
    if Verdict.objects.filter(report=report, round_at=case.responded_at).exists():
        raise ApplicationError(_("You have already answered this reply."), code="answered")
    reply = (
        case.replies.filter(status=ReplyStatus.PUBLISHED, is_final=True)
        .order_by("-published_at", "-id")
        .first()
    )
    verdict = Verdict.objects.create(
        case=case,
        report=report,
        reply=reply,
        round_at=case.responded_at,
        rating=rating,
        comment=comment,
        accepted=bool(accept),
    )
    case_event_record(
        case=case,
        kind=EventKind.RATED,
        is_public=False,
        message=comment,
        data={
            "rating": rating,
            "accepted": bool(accept),
            "report": report.pk,
            "reply": reply.pk if reply else None,
        },
    )
    if accept:
        case_resolve(case=case, by=None, how="citizen")
    else:
        # Every reporter of the case hears it is reopened; the objection itself, which may
        # carry personal details, stays with the staff (the rating event and the escalation).
        case_reopen(
            case=case,
            by=None,
            reason=_("A reporter contested the reply. The unit will answer again."),
            note_to_staff=comment,
        )
    return verdict


def _check_window(case: Case) -> None:
    if case.status != CaseStatus.RESPONDED or case.due_step != Step.CITIZEN_REPLY:
        raise ApplicationError(
            _("This report is not waiting for your answer to a reply."), code="not_open"
        )
    if case.due_at is None or timezone.now() > case.due_at:
        raise ApplicationError(_("The time to answer this reply has passed."), code="window_closed")
