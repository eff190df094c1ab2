"""Writes for improvement actions: details, links, findings, milestones, evidence, progress."""

from fractions import Fraction

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import user_can
from tanggap.cases.choices import EventKind
from tanggap.cases.events import case_event_record
from tanggap.cases.models import Case
from tanggap.common.exceptions import ApplicationError
from tanggap.intake.uploads import CleanFile
from tanggap.surveys.elements import ELEMENT_KEYS, ELEMENTS
from tanggap.surveys.index import round_half_up
from tanggap.surveys.selectors import period_summary

from ..choices import ActionStatus
from ..models import (
    ActionCase,
    ActionFinding,
    ActionUpdate,
    Evidence,
    ImprovementAction,
    Milestone,
)
from .checks import MAX_MESSAGE, MAX_TITLE, check_case, require, text
from .telling import action_public_url, case_tell, public_language

MANAGE = Capability.SUPERVISE_CASES
MAX_EVIDENCE = 20
MAX_CAPTION = 300


def _lock(action: ImprovementAction) -> ImprovementAction:
    return (
        ImprovementAction.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=action.pk)
    )


def _details(*, unit, title, description, owner, target_date) -> dict:
    title = text(title, label=_("title"), minimum=5, maximum=MAX_TITLE)
    description = text(description, label=_("description"))
    if owner is None or not user_can(owner, Capability.VIEW_CASES, unit):
        raise ApplicationError(
            _("Choose an owner who works in this unit."), code="owner", extra={"field": "owner"}
        )
    return {"title": title, "description": description, "owner": owner, "target_date": target_date}


@transaction.atomic
def action_create(
    *, unit, by, title: str, description: str, owner, target_date=None
) -> ImprovementAction:
    """Create a planned, unpublished action of *unit*; only its supervisors may."""
    require(by, MANAGE, unit)
    fields = _details(
        unit=unit, title=title, description=description, owner=owner, target_date=target_date
    )
    return ImprovementAction.objects.create(unit=unit, created_by=by, **fields)


@transaction.atomic
def action_edit(
    *, action: ImprovementAction, by, title: str, description: str, owner, target_date=None
) -> ImprovementAction:
    """Change an action's title, description, owner and target date."""
    action = _lock(action)
    require(by, MANAGE, action.unit)
    fields = _details(
        unit=action.unit,
        title=title,
        description=description,
        owner=owner,
        target_date=target_date,
    )
    for name, value in fields.items():
        setattr(action, name, value)
    action.save(update_fields=[*fields, "updated_at"])
    return action


@transaction.atomic
def action_publish(*, action: ImprovementAction, by, publish: bool) -> ImprovementAction:
    """Show the action on the transparency pages, or take it off; the first time is kept."""
    action = _lock(action)
    require(by, MANAGE, action.unit)
    action.is_published = bool(publish)
    if publish and action.published_at is None:
        action.published_at = timezone.now()
    action.save(update_fields=["is_published", "published_at", "updated_at"])
    return action


def _linked_message(action: ImprovementAction) -> str:
    with public_language():
        message = _("Your report is one of the reasons for “%(title)s”: %(description)s") % {
            "title": action.title,
            "description": Truncator(action.description).chars(300),
        }
        if action.is_published:
            message += " " + _("Follow it at %(url)s") % {"url": action_public_url(action)}
    return message


@transaction.atomic
def action_case_link(*, action: ImprovementAction, case: Case, by) -> ActionCase:
    """Link *case* to *action* and tell its reporters; officers of the unit may link."""
    action = ImprovementAction.objects.select_related("unit").get(pk=action.pk)
    case = Case.objects.select_related("unit").get(pk=case.pk)
    require(by, Capability.HANDLE_CASES, action.unit)
    check_case(case, action.unit, by, Capability.HANDLE_CASES)
    if action.status == ActionStatus.CANCELLED:
        raise ApplicationError(_("A cancelled action takes no more cases."), code="cancelled")
    try:
        with transaction.atomic():
            link = ActionCase.objects.create(action=action, case=case, linked_by=by)
    except IntegrityError:
        raise ApplicationError(
            _("Case %(ref)s is linked to this action already.") % {"ref": case.reference},
            code="duplicate",
        ) from None
    case_tell(
        case=case,
        kind=EventKind.ACTION_LINKED,
        message=_linked_message(action),
        marker={"action": action.pk},
        by=by,
    )
    return link


@transaction.atomic
def action_finding_link(*, action: ImprovementAction, period, element: str, by) -> ActionFinding:
    """Record that *action* answers *element* of survey *period*, with the element's NRR then."""
    action = _lock(action)
    require(by, MANAGE, action.unit)
    if not period.unit.path.startswith(action.unit.path):
        raise ApplicationError(_("Choose a survey period of this unit."), code="period")
    if element not in ELEMENT_KEYS:
        raise ApplicationError(_("Choose one of the nine SKM elements."), code="element")
    result = period_summary(period).result
    nrr = result.nrr.get(element) if result else None
    finding, created = ActionFinding.objects.get_or_create(
        action=action,
        period=period,
        element=element,
        defaults={"linked_by": by, "nrr": _decimal(nrr)},
    )
    if not created:
        raise ApplicationError(
            _("“%(element)s” of %(period)s is linked already.")
            % {"element": ELEMENTS[element].name_id, "period": period.name},
            code="duplicate",
        )
    return finding


def _decimal(nrr: Fraction | None):
    return None if nrr is None else round_half_up(nrr, 3)


@transaction.atomic
def milestone_add(*, action: ImprovementAction, by, title: str, due=None) -> Milestone:
    """Add a milestone to *action*."""
    action = _lock(action)
    require(by, MANAGE, action.unit)
    title = text(title, label=_("milestone"), minimum=3, maximum=MAX_TITLE)
    return Milestone.objects.create(action=action, title=title, due=due)


@transaction.atomic
def milestone_done(*, milestone: Milestone, by) -> Milestone:
    """Mark a milestone done and tell the reporters of the action's cases."""
    action = _lock(milestone.action)
    require(by, MANAGE, action.unit)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.done_at is not None:
        raise ApplicationError(_("This milestone is done already."), code="done")
    milestone.done_at = timezone.now()
    milestone.save(update_fields=["done_at"])
    with public_language():
        message = _("Milestone reached: %(title)s") % {"title": milestone.title}
    _update_record(action, by=by, message=message)
    return milestone


@transaction.atomic
def evidence_add(
    *, action: ImprovementAction, by, stage: str, caption: str, file: CleanFile
) -> Evidence:
    """Store a checked photo or PDF (intake.uploads) showing the situation before or after."""
    action = _lock(action)
    require(by, MANAGE, action.unit)
    if stage not in ("before", "after"):
        raise ApplicationError(_("Say whether it shows before or after."), code="stage")
    caption = text(caption, label=_("caption"), minimum=3, maximum=MAX_CAPTION)
    if action.evidence.count() >= MAX_EVIDENCE:
        raise ApplicationError(
            _("An action can show at most %(n)d files.") % {"n": MAX_EVIDENCE}, code="files"
        )
    evidence = Evidence(
        action=action,
        stage=stage,
        caption=caption,
        name=file.name,
        content_type=file.content_type,
        size=file.size,
        sha256=file.sha256,
        added_by=by,
    )
    evidence.file.save(file.name, ContentFile(file.data), save=False)
    evidence.save()
    return evidence


@transaction.atomic
def action_progress_set(
    *, action: ImprovementAction, by, status: str, progress: int, message: str
) -> ActionUpdate:
    """Change the status and progress with a public message; every linked reporter is told.

    Done means 100 %; a done or cancelled action keeps its status until a supervisor changes it.
    """
    action = _lock(action)
    require(by, MANAGE, action.unit)
    if status not in ActionStatus.values:
        raise ApplicationError(_("Choose a status."), code="status")
    if not isinstance(progress, int) or not 0 <= progress <= 100:
        raise ApplicationError(_("Progress is a whole number from 0 to 100."), code="progress")
    message = text(message, label=_("message to the reporters"), maximum=MAX_MESSAGE)
    if status == ActionStatus.DONE:
        progress = 100
    action.status, action.progress = status, progress
    action.save(update_fields=["status", "progress", "updated_at"])
    return _update_record(action, by=by, message=message)


def _update_record(action: ImprovementAction, *, by, message: str) -> ActionUpdate:
    from ..tasks import action_update_fan_out  # noqa: PLC0415 - tasks import the services

    update = ActionUpdate.objects.create(
        action=action, message=message, status=action.status, progress=action.progress, by=by
    )
    transaction.on_commit(lambda: action_update_fan_out.enqueue(update_id=update.pk))
    return update


def action_update_tell(*, update: ActionUpdate) -> int:
    """Tell the reporters of every case linked before *update*; safe to run twice.

    Each case in its own transaction, so one failure leaves the others told.
    """
    action = update.action
    with public_language():
        message = _("“%(title)s” is %(status)s (%(progress)d%%). %(message)s") % {
            "title": action.title,
            "status": ActionStatus(update.status).label.lower(),
            "progress": update.progress,
            "message": update.message,
        }
        if action.is_published:
            message += " " + _("Follow it at %(url)s") % {"url": action_public_url(action)}
    told = 0
    links = action.links.filter(linked_at__lte=update.at).select_related("case")
    for link in links.iterator():
        marker = {"action_update": update.pk}
        if case_tell(case=link.case, kind=EventKind.ACTION_UPDATE, message=message, marker=marker):
            told += 1
    return told


@transaction.atomic
def action_case_unlink(*, action: ImprovementAction, case: Case, by) -> None:
    """Remove a case linked by mistake; an internal note on the case keeps the record.

    The reporter was told of the link and its event stays in their timeline (append-only).
    """
    action = _lock(action)
    require(by, MANAGE, action.unit)
    deleted, _rows = ActionCase.objects.filter(action=action, case=case).delete()
    if not deleted:
        raise ApplicationError(_("This case is not linked to the action."), code="not_linked")
    with public_language():
        note = _("Removed from the improvement action “%(title)s”.") % {"title": action.title}
    case_event_record(case=case, kind=EventKind.NOTE, actor=by, is_public=False, message=note)


@transaction.atomic
def evidence_remove(*, evidence: Evidence, by) -> None:
    """Delete a piece of evidence and its file (a wrong or unsuitable picture)."""
    action = _lock(evidence.action)
    require(by, MANAGE, action.unit)
    evidence.file.delete(save=False)
    evidence.delete()
