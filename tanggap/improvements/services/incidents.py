"""Writes for incidents: create, gather cases, post updates, close them all together.

Closing answers and resolves each open case through the case workflow, in a task per case
(``tasks.incident_case_close``), so one failing case does not hold the others back.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tanggap.accounts.roles import Capability
from tanggap.cases.choices import CLOSED_STATUSES, CaseStatus, EventKind
from tanggap.cases.events import case_event_record
from tanggap.cases.models import Case
from tanggap.cases.workflow import case_resolve, case_respond, case_verify
from tanggap.common.exceptions import ApplicationError

from ..choices import CloseOutcome, IncidentStatus
from ..models import Incident, IncidentCase, IncidentUpdate
from .checks import MAX_MESSAGE, MAX_TITLE, check_case, require, text
from .telling import case_tell, public_language

HANDLE = Capability.HANDLE_CASES
MAX_LINK = 200


def _lock(incident: Incident) -> Incident:
    return (
        Incident.objects.select_for_update(of=("self",)).select_related("unit").get(pk=incident.pk)
    )


def _refuse_closed(incident: Incident) -> None:
    if incident.status == IncidentStatus.RESOLVED:
        raise ApplicationError(_("This incident is resolved already."), code="resolved")


@transaction.atomic
def incident_create(*, unit, by, title: str, description: str, started_at=None) -> Incident:
    """Open an incident of *unit*; its public description goes to every linked reporter."""
    require(by, HANDLE, unit)
    title = text(title, label=_("title"), minimum=5, maximum=MAX_TITLE)
    description = text(description, label=_("public description"), maximum=MAX_MESSAGE)
    now = timezone.now()
    if started_at is not None and started_at > now:
        raise ApplicationError(_("The start cannot be in the future."), code="started_at")
    return Incident.objects.create(
        unit=unit, title=title, description=description, started_at=started_at or now, created_by=by
    )


def _linked_message(incident: Incident) -> str:
    with public_language():
        return _("Your report is about “%(title)s”, which we know of: %(description)s") % {
            "title": incident.title,
            "description": incident.description,
        }


@transaction.atomic
def incident_cases_link(*, incident: Incident, cases: list[Case], by) -> list[Case]:
    """Link open *cases* to *incident* and tell their reporters; return the newly linked.

    Every case is checked first, so one case of another unit changes nothing at all.
    """
    incident = _lock(incident)
    require(by, HANDLE, incident.unit)
    _refuse_closed(incident)
    if not cases:
        raise ApplicationError(_("Choose at least one case."), code="cases")
    if len(cases) > MAX_LINK:
        raise ApplicationError(
            _("Link at most %(n)d cases at a time.") % {"n": MAX_LINK}, code="cases"
        )
    cases = list(Case.objects.select_related("unit").filter(pk__in=[c.pk for c in cases]))
    for case in cases:
        check_case(case, incident.unit, by, HANDLE)
        if case.status in CLOSED_STATUSES:
            raise ApplicationError(
                _("Case %(ref)s is closed; link open cases only.") % {"ref": case.reference},
                code="closed",
            )
    message, linked = _linked_message(incident), []
    for case in sorted(cases, key=lambda c: c.pk):
        try:
            with transaction.atomic():
                IncidentCase.objects.create(incident=incident, case=case, linked_by=by)
        except IntegrityError:
            continue  # linked already: its reporters were told then
        marker = {"incident": incident.pk}
        case_tell(case=case, kind=EventKind.INCIDENT_LINKED, message=message, marker=marker, by=by)
        linked.append(case)
    return linked


@transaction.atomic
def incident_case_unlink(*, incident: Incident, case: Case, by) -> None:
    """Remove a case linked by mistake before closing; an internal note keeps the record."""
    incident = _lock(incident)
    require(by, HANDLE, incident.unit)
    _refuse_closed(incident)
    deleted, _rows = IncidentCase.objects.filter(incident=incident, case=case).delete()
    if not deleted:
        raise ApplicationError(_("This case is not linked to the incident."), code="not_linked")
    with public_language():
        note = _("Removed from the incident “%(title)s”.") % {"title": incident.title}
    case_event_record(case=case, kind=EventKind.NOTE, actor=by, is_public=False, message=note)


@transaction.atomic
def incident_update_post(*, incident: Incident, by, message: str, status: str) -> IncidentUpdate:
    """Post a public update (still open, or being monitored); every linked reporter is told."""
    from ..tasks import incident_update_fan_out  # noqa: PLC0415 - tasks import the services

    incident = _lock(incident)
    require(by, HANDLE, incident.unit)
    _refuse_closed(incident)
    if status not in (IncidentStatus.OPEN, IncidentStatus.MONITORING):
        raise ApplicationError(
            _("Choose open or monitoring; closing is its own step."), code="status"
        )
    message = text(message, label=_("update"), maximum=MAX_MESSAGE)
    incident.status = status
    incident.save(update_fields=["status", "updated_at"])
    update = IncidentUpdate.objects.create(incident=incident, message=message, status=status, by=by)
    transaction.on_commit(lambda: incident_update_fan_out.enqueue(update_id=update.pk))
    return update


def _update_message(update: IncidentUpdate) -> str:
    with public_language():
        return _("%(title)s (%(status)s): %(message)s") % {
            "title": update.incident.title,
            "status": IncidentStatus(update.status).label.lower(),
            "message": update.message,
        }


def incident_update_tell(*, update: IncidentUpdate) -> int:
    """Tell the reporters of every case linked before *update*; safe to run twice."""
    message, told = _update_message(update), 0
    links = update.incident.links.filter(linked_at__lte=update.at).select_related("case")
    for link in links.iterator():
        marker = {"incident_update": update.pk}
        if case_tell(
            case=link.case, kind=EventKind.INCIDENT_UPDATE, message=message, marker=marker
        ):
            told += 1
    return told


@transaction.atomic
def incident_close(*, incident: Incident, by, message: str) -> IncidentUpdate:
    """Resolve the incident with a public answer, then answer and resolve each of its cases.

    Only supervisors close (it resolves many cases at once). Each case is closed by its own
    task after the commit; the incident page shows each one's outcome.
    """
    from ..tasks import close_incident_case  # noqa: PLC0415 - tasks import the services

    incident = _lock(incident)
    require(by, Capability.SUPERVISE_CASES, incident.unit)
    _refuse_closed(incident)
    message = text(message, label=_("answer to the reporters"), maximum=MAX_MESSAGE)
    now = timezone.now()
    incident.status, incident.ended_at, incident.closed_by = IncidentStatus.RESOLVED, now, by
    incident.save(update_fields=["status", "ended_at", "closed_by", "updated_at"])
    update = IncidentUpdate.objects.create(
        incident=incident, message=message, status=IncidentStatus.RESOLVED, by=by, at=now
    )
    link_ids = list(incident.links.values_list("pk", flat=True))
    incident.links.update(outcome=CloseOutcome.PENDING, outcome_note="")
    for link_id in link_ids:
        transaction.on_commit(
            lambda link_id=link_id: close_incident_case.enqueue(
                link_id=link_id, update_id=update.pk
            )
        )
    return update


def _outcome(link: IncidentCase, outcome: str, note: str = "") -> None:
    link.outcome, link.outcome_note = outcome, note[:300]
    link.save(update_fields=["outcome", "outcome_note"])


@transaction.atomic
def incident_case_close(*, link: IncidentCase, update: IncidentUpdate) -> str:
    """Answer and resolve one case of a closed incident; tell a closed or waiting case's reporters.

    An open case is verified if still received (an officer linked it, having read it), given
    the incident's answer as its reply (so it is not closed without one), then resolved. A case
    waiting for its reporter's information stays open: nothing arrived, so it is not resumed.
    Runs once: a link whose outcome is settled is left alone.
    """
    link = (
        IncidentCase.objects.select_for_update(of=("self",)).select_related("case").get(pk=link.pk)
    )
    if link.outcome != CloseOutcome.PENDING:
        return link.outcome
    incident, by = update.incident, update.by
    case = link.case
    if case.status in CLOSED_STATUSES or case.status == CaseStatus.WAITING_CITIZEN:
        marker = {"incident_update": update.pk}
        case_tell(
            case=case,
            kind=EventKind.INCIDENT_UPDATE,
            message=_update_message(update),
            marker=marker,
        )
        if case.status == CaseStatus.WAITING_CITIZEN:
            with public_language():
                note = _("Waiting for the reporter's information.")
            _outcome(link, CloseOutcome.LEFT_OPEN, note)
        else:
            _outcome(link, CloseOutcome.ALREADY_CLOSED)
        return link.outcome
    with public_language():
        staff_note = _("Verified as one of the reports about the incident “%(title)s”.") % {
            "title": incident.title
        }
    if case.status == CaseStatus.RECEIVED:
        case = case_verify(case=case, by=by, note=staff_note)
    case = case_respond(case=case, by=by, message=update.message, data={"incident": incident.pk})
    case_resolve(case=case, by=by, how="incident")
    _outcome(link, CloseOutcome.CLOSED)
    return link.outcome


@transaction.atomic
def incident_case_close_failed(*, link: IncidentCase, reason: str) -> None:
    """Record that closing one case failed, so the page lists it for handling by hand."""
    link = IncidentCase.objects.select_for_update().get(pk=link.pk)
    if link.outcome == CloseOutcome.PENDING:
        _outcome(link, CloseOutcome.FAILED, reason)
