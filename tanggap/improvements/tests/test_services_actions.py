"""Improvement actions: who may write, what is refused, and who is told of each change."""

from datetime import date

import pytest

from tanggap.cases.choices import EventKind
from tanggap.cases.models import CaseEvent
from tanggap.common.exceptions import ApplicationError
from tanggap.improvements.choices import ActionStatus
from tanggap.improvements.models import ActionCase, Evidence, ImprovementAction
from tanggap.improvements.selectors import weak_elements
from tanggap.improvements.services import (
    action_case_link,
    action_create,
    action_finding_link,
    action_progress_set,
    evidence_add,
    milestone_add,
    milestone_done,
)
from tanggap.improvements.tasks import action_update_fan_out
from tanggap.intake.tests.factories import clean_jpeg
from tanggap.notifications.models import Notification
from tanggap.surveys.elements import ELEMENT_KEYS
from tanggap.surveys.tests.factories import SurveyPeriodFactory, SurveyResponseFactory

from .conftest import new_case, notified_about

pytestmark = pytest.mark.django_db


def test_an_officer_cannot_create_an_action(spkt, officer):
    # given an officer (officers link cases; supervisors manage actions)
    # when they try to create one
    with pytest.raises(ApplicationError) as refused:
        action_create(unit=spkt, by=officer, title="Antrean", description="x" * 20, owner=officer)
    # then nothing is created
    assert refused.value.code == "forbidden"
    assert not ImprovementAction.objects.exists()


def test_an_owner_from_another_unit_is_refused(spkt, supervisor, other_officer):
    # when a supervisor names an owner who does not work in the unit
    with pytest.raises(ApplicationError) as refused:
        action_create(
            unit=spkt,
            by=supervisor,
            title="Loket buka tepat waktu",
            description="Jadwal piket loket diubah.",
            owner=other_officer,
        )
    # then it is refused on the owner field
    assert refused.value.code == "owner" and refused.value.extra == {"field": "owner"}
    assert not ImprovementAction.objects.exists()


def test_linking_a_case_tells_every_reporter_once(action, two_reporter_case, officer):
    # when an officer links a case two citizens reported
    action_case_link(action=action, case=two_reporter_case, by=officer)
    # then one public event is recorded and each reporter gets one message
    event = CaseEvent.objects.get(case=two_reporter_case, kind=EventKind.ACTION_LINKED)
    assert event.is_public and action.title in event.message
    assert notified_about(event).count() == 2
    # and linking it again is refused and tells nobody again
    before = Notification.objects.count()
    with pytest.raises(ApplicationError) as refused:
        action_case_link(action=action, case=two_reporter_case, by=officer)
    assert refused.value.code == "duplicate"
    assert Notification.objects.count() == before
    assert ActionCase.objects.filter(action=action).count() == 1


def test_a_case_of_another_unit_cannot_be_linked(action, dpmptsp, supervisor):
    # given a case of another organisation's unit
    foreign = new_case(dpmptsp)
    # when the supervisor tries to link it
    with pytest.raises(ApplicationError) as refused:
        action_case_link(action=action, case=foreign, by=supervisor)
    # then nothing is linked and nobody is told
    assert refused.value.code == "unit"
    assert not ActionCase.objects.exists()
    assert not CaseEvent.objects.filter(case=foreign, kind=EventKind.ACTION_LINKED).exists()


def test_a_progress_change_reaches_each_linked_reporter_exactly_once(
    action, spkt, supervisor, officer, two_reporter_case, django_capture_on_commit_callbacks
):
    # given two linked cases, one with two reporters
    single = new_case(spkt, email="tono@example.com")
    for case in (two_reporter_case, single):
        action_case_link(action=action, case=case, by=officer)
    # when the supervisor reports progress
    with django_capture_on_commit_callbacks(execute=True):
        update = action_progress_set(
            action=action,
            by=supervisor,
            status=ActionStatus.IN_PROGRESS,
            progress=40,
            message="Jadwal piket baru sudah disusun dan diuji minggu ini.",
        )
    # then each case has one update event and each reporter one message
    events = CaseEvent.objects.filter(kind=EventKind.ACTION_UPDATE, data__action_update=update.pk)
    assert sorted(e.case_id for e in events) == sorted([two_reporter_case.pk, single.pk])
    assert sum(notified_about(e).count() for e in events) == 3
    assert "40%" in events[0].message
    # and a retried fan-out adds nothing
    before = (CaseEvent.objects.count(), Notification.objects.count())
    assert action_update_fan_out.call(update_id=update.pk) == 0
    assert (CaseEvent.objects.count(), Notification.objects.count()) == before


def test_bad_progress_changes_nothing(action, supervisor):
    # when the progress is out of range or the message is empty
    for progress, message in ((101, "Pekerjaan berjalan baik."), (50, "  ")):
        with pytest.raises(ApplicationError):
            action_progress_set(
                action=action,
                by=supervisor,
                status="in_progress",
                progress=progress,
                message=message,
            )
    # then the action is as it was and no update exists
    action.refresh_from_db()
    assert (action.status, action.progress) == (ActionStatus.PLANNED, 0)
    assert not action.updates.exists()


def test_done_means_complete(action, supervisor):
    # when an action is marked done at 80 %
    action_progress_set(
        action=action, by=supervisor, status="done", progress=80, message="Loket kini buka 08.00."
    )
    # then its progress is 100 %
    action.refresh_from_db()
    assert (action.status, action.progress) == (ActionStatus.DONE, 100)


def test_a_milestone_done_is_news_once(
    action, supervisor, officer, spkt, django_capture_on_commit_callbacks
):
    # given a linked case and a milestone
    case = new_case(spkt)
    action_case_link(action=action, case=case, by=officer)
    milestone = milestone_add(
        action=action, by=supervisor, title="Jadwal piket", due=date(2026, 12, 1)
    )
    # when it is done
    with django_capture_on_commit_callbacks(execute=True):
        milestone_done(milestone=milestone, by=supervisor)
    # then the reporter hears of it; a second "done" is refused
    event = CaseEvent.objects.get(case=case, kind=EventKind.ACTION_UPDATE)
    assert "Jadwal piket" in event.message and notified_about(event).count() == 1
    with pytest.raises(ApplicationError):
        milestone_done(milestone=milestone, by=supervisor)


def test_evidence_is_stored_cleaned(action, supervisor):
    # when a photo with a GPS position is added as "before" evidence
    evidence = evidence_add(
        action=action,
        by=supervisor,
        stage="before",
        caption="Antrean pagi di loket SKCK",
        file=clean_jpeg(gps=True),
    )
    # then the stored bytes carry no EXIF and the file name is random
    data = evidence.file.read()
    assert data[:2] == b"\xff\xd8" and b"Exif" not in data
    assert "foto" not in evidence.file.name
    # and a wrong stage changes nothing
    with pytest.raises(ApplicationError):
        evidence_add(
            action=action, by=supervisor, stage="during", caption="x" * 5, file=clean_jpeg()
        )
    assert Evidence.objects.count() == 1


def test_a_weak_element_is_linked_with_its_score(action, supervisor, spkt):
    # given a period whose lowest element is "waktu" (time)
    period = SurveyPeriodFactory(unit=spkt)
    answers = dict.fromkeys(ELEMENT_KEYS, 4) | {"waktu": 2, "biaya": 3}
    SurveyResponseFactory.create_batch(3, period=period, answers=answers)
    # then it comes first among the weak elements
    weak = weak_elements(period)
    assert [(key, name) for key, name, _nrr in weak[:2]] == [
        ("waktu", "Waktu Penyelesaian"),
        ("biaya", "Biaya/Tarif"),
    ]
    # when the supervisor links it
    finding = action_finding_link(action=action, period=period, element="waktu", by=supervisor)
    # then the NRR at that time is kept, and a second link is refused
    assert str(finding.nrr) == "2.000"
    with pytest.raises(ApplicationError):
        action_finding_link(action=action, period=period, element="waktu", by=supervisor)
    with pytest.raises(ApplicationError):
        action_finding_link(action=action, period=period, element="nope", by=supervisor)
