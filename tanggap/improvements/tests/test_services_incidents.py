"""Incidents: gathering cases, telling every reporter at once, closing the cases together."""

import pytest

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UnitFactory, UserFactory
from tanggap.cases import workflow
from tanggap.cases.choices import CaseStatus, EventKind
from tanggap.cases.models import Case, CaseEvent, CaseFlag
from tanggap.common.exceptions import ApplicationError
from tanggap.improvements.choices import CloseOutcome, IncidentStatus
from tanggap.improvements.models import IncidentCase
from tanggap.improvements.services import (
    incident_cases_link,
    incident_close,
    incident_create,
    incident_update_post,
)
from tanggap.improvements.tasks import close_incident_case, incident_update_fan_out
from tanggap.notifications.models import Notification

from .conftest import new_case, notified_about

pytestmark = pytest.mark.django_db

ANSWER = "Sistem antrean sudah normal kembali sejak pukul 13.00. Mohon maaf atas gangguannya."


def test_an_incident_needs_a_real_description(spkt, officer):
    # when the description is too short
    with pytest.raises(ApplicationError) as refused:
        incident_create(unit=spkt, by=officer, title="Air mati", description="mati")
    # then it is refused
    assert refused.value.code == "too_short"


def test_linking_tells_each_reporter_once_and_refuses_foreign_or_closed_cases(
    incident, spkt, dpmptsp, officer, supervisor, two_reporter_case
):
    # given an open case, a closed one and one of another organisation
    closed = new_case(spkt)
    workflow.case_reject(
        case=closed, by=officer, reason="spam", note="Laporan ini berisi iklan, bukan pengaduan."
    )
    foreign = new_case(dpmptsp)
    # when a foreign or closed case is among the ticked ones, nothing at all is linked
    for bad in (foreign, closed):
        with pytest.raises(ApplicationError):
            incident_cases_link(incident=incident, cases=[two_reporter_case, bad], by=supervisor)
        assert not IncidentCase.objects.exists()
    # when the open case is linked (twice)
    assert incident_cases_link(incident=incident, cases=[two_reporter_case], by=officer)
    assert incident_cases_link(incident=incident, cases=[two_reporter_case], by=officer) == []
    # then both its reporters are told once, with the public description
    event = CaseEvent.objects.get(case=two_reporter_case, kind=EventKind.INCIDENT_LINKED)
    assert incident.description in event.message
    assert notified_about(event).count() == 2


def test_an_update_reaches_every_reporter_once(
    incident, spkt, officer, two_reporter_case, django_capture_on_commit_callbacks
):
    # given two linked cases (three reporters)
    other = new_case(spkt, email="joko@example.com")
    incident_cases_link(incident=incident, cases=[two_reporter_case, other], by=officer)
    # when an update is posted
    with django_capture_on_commit_callbacks(execute=True):
        update = incident_update_post(
            incident=incident,
            by=officer,
            message="Teknisi sedang memperbaiki.",
            status="monitoring",
        )
    # then three messages are queued, and a retried fan-out queues none
    events = CaseEvent.objects.filter(kind=EventKind.INCIDENT_UPDATE)
    assert sum(notified_about(e).count() for e in events) == 3
    before = Notification.objects.count()
    incident_update_fan_out.call(update_id=update.pk)
    assert Notification.objects.count() == before
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.MONITORING


def test_an_officer_cannot_close_an_incident(incident, officer):
    with pytest.raises(ApplicationError) as refused:
        incident_close(incident=incident, by=officer, message=ANSWER)
    assert refused.value.code == "forbidden"
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.OPEN


def _case_in(status, spkt, officer):
    case = new_case(spkt)
    if status in (CaseStatus.ASSIGNED, CaseStatus.WAITING_CITIZEN):
        case = workflow.case_assign(case=case, by=officer, officer=officer)
    if status == CaseStatus.WAITING_CITIZEN:
        case = workflow.case_request_information(
            case=case, by=officer, message="Mohon kirim nomor antrean Anda."
        )
    return case


def test_closing_answers_and_resolves_each_open_case_through_the_workflow(
    incident, spkt, officer, supervisor, django_capture_on_commit_callbacks
):
    # given linked cases: received, assigned, waiting for the reporter, and one closed since
    received = _case_in(CaseStatus.RECEIVED, spkt, officer)
    assigned = _case_in(CaseStatus.ASSIGNED, spkt, officer)
    waiting = _case_in(CaseStatus.WAITING_CITIZEN, spkt, officer)
    resolved = _case_in(CaseStatus.ASSIGNED, spkt, officer)
    incident_cases_link(
        incident=incident, cases=[received, assigned, waiting, resolved], by=officer
    )
    workflow.case_resolve(case=resolved, by=officer, note="Sudah ditangani.")
    # when the supervisor closes the incident
    with django_capture_on_commit_callbacks(execute=True):
        incident_close(incident=incident, by=supervisor, message=ANSWER)
    # then the open cases are verified where needed, answered with the message and resolved
    outcomes = dict(IncidentCase.objects.values_list("case_id", "outcome"))
    assert outcomes == {
        received.pk: CloseOutcome.CLOSED,
        assigned.pk: CloseOutcome.CLOSED,
        waiting.pk: CloseOutcome.LEFT_OPEN,
        resolved.pk: CloseOutcome.ALREADY_CLOSED,
    }
    for case in (received, assigned):
        case.refresh_from_db()
        assert case.status == CaseStatus.RESOLVED
        kinds = list(case.events.order_by("at", "id").values_list("kind", flat=True))
        assert kinds[-2:] == [EventKind.RESPONDED, EventKind.RESOLVED]
        assert case.events.get(kind=EventKind.RESPONDED).message == ANSWER
        # an honest close: replied, and a received complaint verified first
        assert not CaseFlag.objects.filter(case=case).exists()
    assert EventKind.VERIFIED in received.events.values_list("kind", flat=True)
    # and the waiting case stays open, its reporter (and the closed case's) told once
    assert Case.objects.get(pk=waiting.pk).status == CaseStatus.WAITING_CITIZEN
    for case in (waiting, resolved):
        event = CaseEvent.objects.get(case=case, kind=EventKind.INCIDENT_UPDATE)
        assert ANSWER in event.message and notified_about(event).count() == 1
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.RESOLVED and incident.ended_at
    # and closing again is refused
    with pytest.raises(ApplicationError):
        incident_close(incident=incident, by=supervisor, message=ANSWER)


def test_one_failing_case_does_not_stop_the_others(
    incident, spkt, officer, supervisor, django_capture_on_commit_callbacks
):
    # given two linked cases, one of which was later disposed to a unit the closer cannot handle
    sibling = UnitFactory(organisation=spkt.organisation, name="Sat Lantas")
    head = UserFactory(username="kepala_lantas", is_superuser=True)
    MembershipFactory(user=head, unit=sibling, role=Role.SUPERVISOR)
    moved, stays = new_case(spkt), new_case(spkt)
    incident_cases_link(incident=incident, cases=[moved, stays], by=officer)
    workflow.case_assign(case=moved, by=head, unit=sibling)
    # when the incident is closed
    with django_capture_on_commit_callbacks(execute=True):
        update = incident_close(incident=incident, by=supervisor, message=ANSWER)
    # then the moved case is reported as failed and the other one is resolved
    failed = IncidentCase.objects.get(case=moved)
    assert failed.outcome == CloseOutcome.FAILED and failed.outcome_note
    assert Case.objects.get(pk=moved.pk).status == CaseStatus.ASSIGNED
    assert Case.objects.get(pk=stays.pk).status == CaseStatus.RESOLVED
    # and a second run of a task changes nothing
    events = CaseEvent.objects.count()
    link = IncidentCase.objects.get(case=stays)
    assert close_incident_case.call(link_id=link.pk, update_id=update.pk) == CloseOutcome.CLOSED
    assert CaseEvent.objects.count() == events
