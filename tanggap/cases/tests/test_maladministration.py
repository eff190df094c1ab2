"""Maladministration read from timestamps (domain.md 3): what is flagged and what is not."""

from datetime import UTC, datetime, timedelta

import pytest

from tanggap.cases import workflow
from tanggap.cases.choices import Channel, EventKind, FlagKind, RejectReason, ReportKind, Step
from tanggap.cases.maladministration import Fact, detect
from tanggap.cases.services import case_open

T0 = datetime(2026, 11, 16, 1, 0, tzinfo=UTC)


def ev(kind, hours, **data):
    return Fact(kind, T0 + timedelta(hours=hours), data)


def due(step, hours):
    return {"due_step": step, "due_at": (T0 + timedelta(hours=hours)).isoformat()}


def kinds(findings):
    return {(f.kind, f.step) for f in findings}


def test_a_step_met_in_time_raises_nothing():
    events = [
        ev(EventKind.RECEIVED, 0, **due(Step.VERIFICATION, 72)),
        ev(EventKind.VERIFIED, 10, **due(Step.VERIFICATION, 72)),
        ev(EventKind.ASSIGNED, 20, **due(Step.FIRST_REPLY, 140)),
        ev(EventKind.RESPONDED, 100, **due(Step.CITIZEN_REPLY, 340)),
        ev(EventKind.RESOLVED, 300, due_step="", due_at=None),
    ]
    assert (
        detect(report_kind=ReportKind.COMPLAINT, events=events, now=T0 + timedelta(days=60)) == []
    )


def test_verification_past_its_deadline_is_undue_delay():
    events = [
        ev(EventKind.RECEIVED, 0, **due(Step.VERIFICATION, 72)),
        ev(EventKind.ASSIGNED, 80, **due(Step.FIRST_REPLY, 200)),
    ]
    found = detect(report_kind=ReportKind.COMPLAINT, events=events, now=T0 + timedelta(hours=81))
    assert kinds(found) == {(FlagKind.UNDUE_DELAY, Step.VERIFICATION)}


def test_an_open_case_past_its_deadline_is_undue_delay_the_reporters_window_is_not():
    late = [ev(EventKind.RECEIVED, 0, **due(Step.VERIFICATION, 72))]
    assert kinds(detect(report_kind="complaint", events=late, now=T0 + timedelta(hours=73))) == {
        (FlagKind.UNDUE_DELAY, Step.VERIFICATION)
    }
    waiting = [
        ev(EventKind.RECEIVED, 0, **due(Step.VERIFICATION, 72)),
        ev(EventKind.INFORMATION_REQUESTED, 5, **due(Step.CITIZEN_INFORMATION, 720)),
    ]
    assert detect(report_kind="complaint", events=waiting, now=T0 + timedelta(hours=700)) == []


def test_closing_without_a_substantive_reply_is_failure_to_serve():
    events = [
        ev(EventKind.RECEIVED, 0, **due(Step.VERIFICATION, 72)),
        ev(EventKind.ARCHIVED, 5, due_step="", due_at=None),
    ]
    found = detect(report_kind="complaint", events=events, now=T0 + timedelta(hours=6))
    assert kinds(found) == {(FlagKind.FAILURE_TO_SERVE, "")}


def test_a_merged_or_rejected_case_is_not_failure_to_serve():
    merged = [
        ev(EventKind.RECEIVED, 0, **due(Step.VERIFICATION, 72)),
        ev(EventKind.ARCHIVED, 5, due_step="", due_at=None, merged_into="TGP-AAAA-BBBB"),
    ]
    spam = [
        ev(EventKind.RECEIVED, 0, **due(Step.VERIFICATION, 72)),
        ev(EventKind.REJECTED, 2, due_step="", due_at=None, reason=RejectReason.SPAM),
        ev(EventKind.ARCHIVED, 5, due_step="", due_at=None),
    ]
    for events in (merged, spam):
        assert detect(report_kind="complaint", events=events, now=T0 + timedelta(days=9)) == []


def test_not_within_authority_without_forwarding_is_failure_to_serve():
    events = [
        ev(EventKind.RECEIVED, 0, **due(Step.VERIFICATION, 72)),
        ev(EventKind.REJECTED, 2, reason=RejectReason.NOT_WITHIN_AUTHORITY, forwarded_to=""),
    ]
    found = detect(report_kind="complaint", events=events, now=T0 + timedelta(hours=3))
    assert (FlagKind.FAILURE_TO_SERVE, "") in kinds(found)


def test_a_complaint_answered_before_verification_is_a_procedural_deviation():
    events = [
        ev(EventKind.RECEIVED, 0, **due(Step.VERIFICATION, 72)),
        ev(EventKind.RESPONDED, 2, **due(Step.CITIZEN_REPLY, 240)),
    ]
    complaint = detect(report_kind="complaint", events=events, now=T0 + timedelta(hours=3))
    question = detect(report_kind="information_request", events=events, now=T0)
    assert kinds(complaint) == {(FlagKind.PROCEDURAL_DEVIATION, Step.VERIFICATION)}
    assert question == []


@pytest.mark.django_db
def test_flags_are_raised_once_and_logged_for_the_auditor(spkt, officer, supervisor):
    case = case_open(
        unit=spkt,
        reference="TGP-FLAG-0001",
        kind=ReportKind.COMPLAINT,
        channel=Channel.WEB,
        title="Pungutan di loket",
    )
    case = workflow.case_respond(case=case, by=officer, message="Tidak ada pungutan.")
    case = workflow.case_archive(case=case, by=supervisor)

    flags = set(case.flags.values_list("kind", "step"))
    assert flags == {(FlagKind.PROCEDURAL_DEVIATION, Step.VERIFICATION)}
    logged = case.events.filter(kind=EventKind.FLAGGED)
    assert logged.count() == 1 and not logged.get().is_public


@pytest.mark.django_db
def test_resolving_without_any_reply_is_flagged(spkt, officer):
    case = case_open(
        unit=spkt,
        reference="TGP-FLAG-0002",
        kind=ReportKind.COMPLAINT,
        channel=Channel.WEB,
        title="Lampu jalan padam",
    )
    case = workflow.case_assign(case=case, by=officer)
    case = workflow.case_resolve(case=case, by=officer)

    assert set(case.flags.values_list("kind", flat=True)) == {FlagKind.FAILURE_TO_SERVE}
