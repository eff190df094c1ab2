"""The reporter's verdict: accepting resolves, contesting reopens and escalates, once per reply."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from tanggap.cases.choices import CaseStatus, EventKind
from tanggap.common.exceptions import ApplicationError
from tanggap.intake.services import report_add_information
from tanggap.responses.models import Verdict
from tanggap.responses.selectors import verdict_state
from tanggap.responses.services import reply_draft_save, reply_submit, verdict_record
from tanggap.responses.tests.factories import report_in_progress

pytestmark = pytest.mark.django_db
OBJECTION = "Loket masih tutup pukul 09.00, belum ada perubahan sama sekali."


def replied(unit, officer):
    """Return a report whose case has just been given a final reply."""
    report = report_in_progress(unit, officer)
    reply = reply_draft_save(
        case=report.case,
        by=officer,
        body="Petugas loket sudah kami tambah mulai hari ini.",
        is_final=True,
    )
    reply_submit(reply=reply, by=officer)
    report.case.refresh_from_db()
    return report


def test_accepting_resolves_the_case_and_records_the_rating(spkt, officer):
    # given a replied case
    report = replied(spkt, officer)

    # when the reporter rates 4 and accepts
    verdict = verdict_record(report=report, rating=4, comment="Terima kasih.", accept=True)

    # then the case is resolved by the citizen and the rating is an internal event
    report.case.refresh_from_db()
    assert report.case.status == CaseStatus.RESOLVED and report.case.closed_at
    assert report.case.events.get(kind=EventKind.RESOLVED).data["how"] == "citizen"
    rated = report.case.events.get(kind=EventKind.RATED)
    assert not rated.is_public and rated.data["rating"] == 4 and rated.data["accepted"] is True
    assert verdict.reply.is_final and verdict.round_at == report.case.responded_at


def test_contesting_reopens_and_escalates_to_the_supervisor(
    spkt, officer, supervisor, django_capture_on_commit_callbacks
):
    # given a replied case and a supervisor with an e-mail address
    supervisor.email = "kepala@example.com"
    supervisor.save(update_fields=["email"])
    report = replied(spkt, officer)

    # when the reporter rates 1 and contests with a reason
    with django_capture_on_commit_callbacks(execute=True):
        verdict_record(report=report, rating=1, comment=OBJECTION, accept=False)

    # then the case is reopened, escalated, and the supervisor is mailed
    case = report.case
    case.refresh_from_db()
    assert case.status == CaseStatus.REOPENED and case.escalation_level >= 1
    # The objection may name people: the public reopening event does not carry it, the
    # escalation to the supervisor does.
    reopened = case.events.get(kind=EventKind.REOPENED)
    assert reopened.is_public and OBJECTION not in reopened.message
    escalated = case.events.get(kind=EventKind.ESCALATED)
    assert supervisor.pk in escalated.data["to"] and escalated.message == OBJECTION
    to_supervisor = [m for m in mail.outbox if m.to == ["kepala@example.com"]]
    assert any(case.reference in m.subject and OBJECTION in m.body for m in to_supervisor)
    assert not any(OBJECTION in m.body for m in mail.outbox if m.to != ["kepala@example.com"])
    assert case.events.get(kind=EventKind.RATED).data == {
        "rating": 1,
        "accepted": False,
        "report": report.pk,
        "reply": verdict_state(report=report).given.reply_id,
    }


@pytest.mark.parametrize("comment", ["", "Tidak.", "         "])
def test_contesting_needs_a_reason_and_changes_nothing_without_one(spkt, officer, comment):
    report = replied(spkt, officer)

    with pytest.raises(ApplicationError) as error:
        verdict_record(report=report, rating=2, comment=comment, accept=False)

    assert error.value.code == "comment"
    report.case.refresh_from_db()
    assert report.case.status == CaseStatus.RESPONDED and not Verdict.objects.exists()


@pytest.mark.parametrize("rating", [0, 6, None, "5"])
def test_a_rating_outside_1_to_5_is_refused(spkt, officer, rating):
    report = replied(spkt, officer)

    with pytest.raises(ApplicationError) as error:
        verdict_record(report=report, rating=rating, comment="", accept=True)

    assert error.value.code == "rating" and not Verdict.objects.exists()


def test_after_the_reply_window_the_verdict_is_refused(spkt, officer):
    # given a reply whose 10-day window has passed
    report = replied(spkt, officer)

    # when the reporter answers a minute after the deadline
    with (
        time_machine.travel(report.case.due_at + timedelta(minutes=1), tick=False),
        pytest.raises(ApplicationError) as error,
    ):
        verdict_record(report=report, rating=5, comment="", accept=True)

    # then it is refused and nothing changed
    assert error.value.code == "window_closed"
    report.case.refresh_from_db()
    assert report.case.status == CaseStatus.RESPONDED and not Verdict.objects.exists()


def test_on_the_last_moment_of_the_window_the_verdict_counts(spkt, officer):
    report = replied(spkt, officer)

    with time_machine.travel(report.case.due_at, tick=False):
        verdict_record(report=report, rating=5, comment="", accept=True)

    assert Verdict.objects.count() == 1


def test_a_second_verdict_on_the_same_reply_is_refused(spkt, officer):
    # given a reporter who contested a reply (the case is reopened)
    report = replied(spkt, officer)
    verdict_record(report=report, rating=2, comment=OBJECTION, accept=False)

    # when they try again on the same reply
    with pytest.raises(ApplicationError):
        verdict_record(report=report, rating=5, comment="", accept=True)

    # then only the first verdict stands
    assert Verdict.objects.count() == 1
    assert report.case.events.filter(kind=EventKind.RATED).count() == 1


def test_a_new_reply_after_an_objection_opens_a_new_round(spkt, officer):
    report = replied(spkt, officer)
    verdict_record(report=report, rating=2, comment=OBJECTION, accept=False)
    report.case.refresh_from_db()

    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        second = reply_draft_save(
            case=report.case, by=officer, body="Loket kini buka pukul 08.00 tepat.", is_final=True
        )
        reply_submit(reply=second, by=officer)
        report.case.refresh_from_db()
        verdict_record(report=report, rating=5, comment="", accept=True)

    assert Verdict.objects.count() == 2
    assert Verdict.objects.last().reply == second


def test_a_case_not_replied_takes_no_verdict(spkt, officer):
    report = report_in_progress(spkt, officer)

    with pytest.raises(ApplicationError) as error:
        verdict_record(report=report, rating=5, comment="", accept=True)

    assert error.value.code == "not_open"


def test_the_state_says_when_the_verdict_is_open(spkt, officer):
    report = replied(spkt, officer)
    assert verdict_state(report=report).is_open

    verdict_record(report=report, rating=3, comment="Cukup.", accept=True)
    report.case.refresh_from_db()

    state = verdict_state(report=report)
    assert not state.is_open and state.given.rating == 3


def test_information_added_does_not_open_a_second_round(spkt, officer):
    # Adding information to a replied case keeps it replied; the window stays the same.
    report = replied(spkt, officer)
    report_add_information(report=report, message="Foto antrean terlampir.", files=[])
    report.case.refresh_from_db()

    verdict_record(report=report, rating=4, comment="", accept=True)

    assert Verdict.objects.count() == 1
