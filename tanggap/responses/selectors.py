"""Reads of replies, templates, settings and verdicts; staff reads start from the user's units."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from tanggap.accounts.models import Unit
from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import units_for
from tanggap.cases.choices import CaseStatus, EventKind, Step
from tanggap.cases.models import Case, CaseEvent

from .choices import ReplyStatus
from .models import Reply, ReplyAttachment, ReplySettings, ReplyTemplate, Verdict


def _ancestor_ids(unit: Unit) -> list[int]:
    """Return the ids on *unit*'s path, from the root down to the unit itself."""
    return [int(part) for part in unit.path.strip("/").split("/") if part] or [unit.pk]


def reply_settings_for(unit: Unit) -> ReplySettings:
    """Return the settings of *unit* or its nearest ancestor; unsaved defaults when none exist."""
    ids = _ancestor_ids(unit)
    found = {
        s.unit_id: s
        for s in ReplySettings.objects.filter(unit_id__in=ids).select_related(
            "unit", "unit__organisation"
        )
    }
    for pk in reversed(ids):
        if pk in found:
            return found[pk]
    return ReplySettings(unit=unit)


def templates_for(case: Case) -> QuerySet[ReplyTemplate]:
    """Return the active templates usable on *case*: its organisation's and its units' own."""
    return ReplyTemplate.objects.filter(
        Q(unit__isnull=True) | Q(unit_id__in=_ancestor_ids(case.unit)),
        organisation_id=case.organisation_id,
        is_active=True,
    )


def _with_attachments(qs: QuerySet[Reply]) -> QuerySet[Reply]:
    return qs.prefetch_related(
        Prefetch("attachments", queryset=ReplyAttachment.objects.order_by("created_at", "id"))
    )


def case_replies(*, case: Case) -> QuerySet[Reply]:
    """Return every reply of *case* for its staff, drafts included, oldest first."""
    return _with_attachments(
        case.replies.select_related("author", "approved_by", "returned_by")
    ).order_by("created_at", "id")


def case_notes(*, case: Case) -> QuerySet[CaseEvent]:
    """Return the internal notes of *case*, oldest first."""
    return case.events.filter(kind=EventKind.NOTE, is_public=False).select_related("actor")


def published_replies(*, case: Case) -> QuerySet[Reply]:
    """Return what the reporter may read: the published replies of *case*, oldest first."""
    return _with_attachments(case.replies.filter(status=ReplyStatus.PUBLISHED)).order_by(
        "published_at", "id"
    )


def approval_queue(*, user) -> QuerySet[Reply]:
    """Return the replies waiting for approval in the units *user* supervises, oldest first."""
    units = units_for(user, Capability.SUPERVISE_CASES)
    return (
        Reply.objects.filter(status=ReplyStatus.PENDING_APPROVAL, case__unit__in=units)
        .select_related("case", "case__unit", "author")
        .order_by("submitted_at", "id")
    )


@dataclass(frozen=True)
class VerdictState:
    """Whether the reporter may answer the current reply, and what they answered before."""

    is_open: bool
    due_at: object
    given: Verdict | None


def verdict_state(*, report, now=None) -> VerdictState:
    """Return whether *report*'s reporter may now rate and accept or contest the reply."""
    case = report.case
    now = now or timezone.now()
    given = None
    if case.responded_at is not None:
        given = Verdict.objects.filter(report=report, round_at=case.responded_at).first()
    window = (
        case.status == CaseStatus.RESPONDED
        and case.due_step == Step.CITIZEN_REPLY
        and case.due_at is not None
        and now <= case.due_at
    )
    return VerdictState(is_open=window and given is None, due_at=case.due_at, given=given)
