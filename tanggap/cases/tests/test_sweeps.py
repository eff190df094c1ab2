"""The deadline sweep: remind once, escalate a breach two levels, close the reporter's windows."""

import threading
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UnitFactory, UserFactory
from tanggap.cases import sweeps
from tanggap.cases.choices import CaseStatus, EventKind, FlagKind, RejectReason, Step
from tanggap.cases.models import Case
from tanggap.cases.sweeps import case_sweep
from tanggap.cases.tasks import sweep_cases
from tanggap.cases.workflow import (
    case_assign,
    case_reject,
    case_request_information,
    case_respond,
)
from tanggap.intake.tests.factories import submit_report
from tanggap.notifications.models import Notification

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
# A report at the 24-hour SPKT: verification is due 72 elapsed hours later, on Thursday 10:00;
# the reminder comes 24 hours before, the second level 48 hours after.
MONDAY = datetime(2026, 11, 16, 10, 0, tzinfo=WIB)
DUE = datetime(2026, 11, 19, 10, 0, tzinfo=WIB)


def at(moment):
    return time_machine.travel(moment, tick=False)


def give_email(*users):
    for user in users:
        user.email = f"{user.username}@example.com"
        user.save(update_fields=["email"])


def open_case(unit, when=MONDAY, **fields):
    with at(when):
        return submit_report(unit, **fields).report.case


def kinds(case, *wanted):
    return list(case.events.filter(kind__in=wanted).values_list("kind", flat=True))


def messages_to(user):
    """Return the outbox rows addressed to *user* (staff keys end with the user id)."""
    return Notification.objects.filter(key__endswith=f":user:{user.pk}")


def sweep(moment):
    with at(moment):
        return sweep_cases.call()


@pytest.fixture
def staff(officer, supervisor):
    give_email(officer, supervisor)
    return officer, supervisor


def test_a_reminder_goes_to_the_unit_officers_once_before_the_deadline(spkt, staff):
    # given a case nobody has taken, its verification due on Thursday 10:00
    officer, supervisor = staff
    case = open_case(spkt)
    assert (case.due_step, case.due_at) == (Step.VERIFICATION, DUE)
    assert (case.next_sweep_at, case.sweep_stage) == (DUE - timedelta(hours=24), "remind")

    # when the sweep runs before the reminder time, then at it, then again
    sweep(DUE - timedelta(hours=25))
    assert kinds(case, EventKind.REMINDER) == []
    sweep(DUE - timedelta(hours=23))
    sweep(DUE - timedelta(hours=22))

    # then one internal reminder and one e-mail to the unit's officer, none to the supervisor
    reminder = case.events.get(kind=EventKind.REMINDER)
    assert not reminder.is_public
    assert messages_to(officer).count() == 1 and not messages_to(supervisor).exists()
    case.refresh_from_db()
    assert (case.next_sweep_at, case.sweep_stage) == (DUE, "breach")
    assert kinds(case, EventKind.ESCALATED) == []


def test_the_reminder_goes_to_the_assignee(spkt, staff, django_capture_on_commit_callbacks):
    # given a case disposed to the officer
    officer, supervisor = staff
    case = open_case(spkt)
    with at(MONDAY + timedelta(hours=1)):
        case_assign(case=case, by=supervisor, officer=officer)
    case.refresh_from_db()

    # when its first-reply reminder is due (72 hours from the disposition, less 24)
    with django_capture_on_commit_callbacks(execute=True):
        sweep(case.due_at - timedelta(hours=1))

    # then the officer gets the e-mail
    assert kinds(case, EventKind.REMINDER) == [EventKind.REMINDER]
    assert [m.to for m in mail.outbox if "petugas@example.com" in m.to] == [["petugas@example.com"]]
    assert case.reference in mail.outbox[-1].subject


def test_a_breach_escalates_to_the_supervisor_and_flags_undue_delay(spkt, staff):
    # given a case whose verification deadline passed an hour ago
    officer, supervisor = staff
    case = open_case(spkt)

    # when the sweep comes (late: the reminder is skipped for the escalation)
    sweep(DUE + timedelta(hours=1))

    # then level 1: the unit's supervisor is alerted and undue delay is flagged
    case.refresh_from_db()
    escalation = case.events.get(kind=EventKind.ESCALATED)
    assert escalation.data["level"] == 1 and escalation.data["to"] == [supervisor.pk]
    assert not escalation.is_public
    assert messages_to(supervisor).count() == 1
    assert kinds(case, EventKind.REMINDER) == []
    flag = case.flags.get()
    assert (flag.kind, flag.step) == (FlagKind.UNDUE_DELAY, Step.VERIFICATION)
    assert (case.breaches, case.escalation_level) == (1, 1)
    # the second level waits two working days (48 hours at a 24-hour unit)
    assert (case.next_sweep_at, case.sweep_stage) == (DUE + timedelta(hours=48), "second")


@pytest.fixture
def polres_tree():
    """A Polres with its own supervisor above an SPKT with one officer and one supervisor."""
    polres = UnitFactory(name="Polres Contoh")
    spkt = UnitFactory(
        name="SPKT Polres Contoh", organisation=polres.organisation, parent=polres, open_24h=True
    )
    people = {}
    for username, unit, role in (
        ("kapolres", polres, Role.SUPERVISOR),
        ("ka_spkt", spkt, Role.SUPERVISOR),
        ("piket", spkt, Role.OFFICER),
    ):
        people[username] = UserFactory(username=username, email=f"{username}@example.com")
        MembershipFactory(user=people[username], unit=unit, role=role)
    return spkt, people


def test_a_step_still_late_after_the_grace_goes_to_the_parent_units_supervisor(polres_tree):
    # given an SPKT case escalated to its own supervisor at the breach
    spkt, people = polres_tree
    case = open_case(spkt)
    sweep(DUE + timedelta(minutes=5))

    # when the grace passes and the step is still not done
    sweep(DUE + timedelta(hours=48, minutes=5))

    # then level 2: the Polres supervisor is alerted, and the sweep stops
    case.refresh_from_db()
    levels = [e.data["level"] for e in case.events.filter(kind=EventKind.ESCALATED)]
    assert levels == [1, 2]
    second = case.events.filter(kind=EventKind.ESCALATED).last()
    assert second.data["to"] == [people["kapolres"].pk]
    assert messages_to(people["kapolres"]).count() == 1
    assert messages_to(people["ka_spkt"]).count() == 1
    assert case.escalation_level == 2 and case.next_sweep_at is None
    assert case.flags.count() == 1

    # and later sweeps do nothing more
    sweep(DUE + timedelta(days=10))
    assert case.events.filter(kind=EventKind.ESCALATED).count() == 2


def test_a_second_breached_deadline_goes_straight_to_the_parent_unit(polres_tree):
    # given a case that breached verification, was then disposed, and breached its first reply
    spkt, people = polres_tree
    case = open_case(spkt)
    sweep(DUE + timedelta(minutes=5))
    with at(DUE + timedelta(hours=1)):
        case = case_assign(case=case, by=people["ka_spkt"], officer=people["piket"])
    first_reply_due = case.due_at

    # when the first-reply deadline passes
    sweep(first_reply_due + timedelta(minutes=5))

    # then the second breach escalates to level 2 at once
    case.refresh_from_db()
    levels = [e.data["level"] for e in case.events.filter(kind=EventKind.ESCALATED)]
    assert levels == [1, 2] and case.breaches == 2
    assert set(case.flags.values_list("step", flat=True)) == {Step.VERIFICATION, Step.FIRST_REPLY}


def test_running_the_sweep_twice_acts_once(spkt, staff):
    # given a case past its deadline
    officer, supervisor = staff
    case = open_case(spkt)
    now = DUE + timedelta(hours=1)

    # when the task runs twice and the service is called twice more for the case
    first, second = sweep(now), sweep(now)
    with at(now):
        again = [case_sweep(case_id=case.pk), case_sweep(case_id=case.pk, now=now)]

    # then one escalation, one flag, one e-mail to the supervisor
    assert (first["cases"], second["cases"], again) == (1, 0, ["", ""])
    assert kinds(case, EventKind.ESCALATED) == [EventKind.ESCALATED]
    assert kinds(case, EventKind.FLAGGED) == [EventKind.FLAGGED]
    assert messages_to(supervisor).count() == 1


def test_a_sweep_that_crashes_half_way_leaves_nothing_and_a_retry_acts_once(
    spkt, staff, monkeypatch
):
    # given a case past its deadline, and a failure after the escalation is written
    officer, supervisor = staff
    case = open_case(spkt)
    now = DUE + timedelta(hours=1)

    def crash(**kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(sweeps, "case_flags_refresh", crash)

    # when the sweep of the case fails
    with at(now), pytest.raises(RuntimeError):
        case_sweep(case_id=case.pk)

    # then nothing of it remains: no event, no outbox row, the agenda as it was
    case.refresh_from_db()
    assert kinds(case, EventKind.ESCALATED) == [] and not messages_to(supervisor).exists()
    assert (case.breaches, case.escalation_level, case.sweep_stage) == (0, 0, "remind")

    # and when it is retried, it acts once
    monkeypatch.undo()
    with at(now):
        assert case_sweep(case_id=case.pk) == "breach"
        assert case_sweep(case_id=case.pk) == ""
    assert kinds(case, EventKind.ESCALATED) == [EventKind.ESCALATED]
    assert messages_to(supervisor).count() == 1 and case.flags.count() == 1


def test_one_failing_case_does_not_stop_the_sweep(spkt, staff, monkeypatch):
    # given two cases past their deadline, the first of which cannot be swept
    broken = open_case(spkt)
    fine = open_case(spkt)
    real = sweeps.case_sweep

    def flaky(*, case_id, now=None):
        if case_id == broken.pk:
            raise RuntimeError("corrupt row")
        return real(case_id=case_id, now=now)

    monkeypatch.setattr("tanggap.cases.tasks.case_sweep", flaky)

    # when the sweep runs
    summary = sweep(DUE + timedelta(hours=1))

    # then the other case is escalated and the failure counted
    assert (summary["cases"], summary["failed"]) == (1, 1)
    assert kinds(fine, EventKind.ESCALATED) == [EventKind.ESCALATED]
    assert kinds(broken, EventKind.ESCALATED) == []


def test_silence_through_the_reply_window_resolves_the_case(spkt, staff):
    # given a reply sent on Tuesday; the reporter has until the end of the 10th day
    officer, supervisor = staff
    case = open_case(spkt)
    with at(MONDAY + timedelta(hours=1)):
        case = case_assign(case=case, by=supervisor, officer=officer)
    with at(MONDAY + timedelta(days=1)):
        case = case_respond(
            case=case, by=officer, message="SKCK dapat diambil di loket 2 mulai besok pagi."
        )
    window_end = datetime(2026, 11, 27, 23, 59, 59, 999999, tzinfo=WIB)
    assert (case.due_step, case.due_at, case.sweep_stage) == (
        Step.CITIZEN_REPLY,
        window_end,
        "expire",
    )

    # when the sweep runs on the last day, then after it
    sweep(window_end - timedelta(hours=1))
    assert Case.objects.get(pk=case.pk).status == CaseStatus.RESPONDED
    sweep(window_end + timedelta(minutes=5))

    # then the case resolved by itself, and the reporter is told
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED and case.next_sweep_at is None
    resolved = case.events.get(kind=EventKind.RESOLVED)
    assert resolved.actor is None and resolved.data["how"] == "silence" and resolved.is_public
    report = case.reports.get()
    assert Notification.objects.filter(key=f"event:{resolved.pk}:report:{report.pk}").exists()
    assert not case.flags.exists()


def test_missing_information_not_sent_in_time_withdraws_the_report_and_tells_the_reporter(
    spkt, staff, django_capture_on_commit_callbacks
):
    # given a request for information on Monday: 30 days, to the end of 16 December
    officer, supervisor = staff
    with django_capture_on_commit_callbacks(execute=True):
        case = open_case(spkt)
        with at(MONDAY + timedelta(hours=2)):
            case = case_request_information(
                case=case, by=officer, message="Mohon lampirkan foto bukti antrian SKCK Anda."
            )
    window_end = datetime(2026, 12, 16, 23, 59, 59, 999999, tzinfo=WIB)
    assert case.due_at == window_end
    assert len(mail.outbox) == 2  # the receipt and the request

    # when the window passes
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sweep(window_end + timedelta(minutes=5))

    # then the case is withdrawn and the reporter gets an e-mail about it
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN and case.next_sweep_at is None
    assert case.events.get(kind=EventKind.WITHDRAWN).is_public
    assert [m.to for m in mail.outbox] == [["budi@example.com"]]
    assert case.reference in mail.outbox[0].subject


def test_a_case_waiting_for_the_reporter_is_not_escalated(spkt, staff):
    # given a case that waits for the reporter from before its verification deadline
    officer, supervisor = staff
    case = open_case(spkt)
    with at(MONDAY + timedelta(hours=2)):
        case_request_information(
            case=case, by=officer, message="Mohon lampirkan foto bukti antrian SKCK Anda."
        )

    # when the sweep runs long after the original deadline, within the reporter's window
    for day in (4, 7, 20):
        sweep(MONDAY + timedelta(days=day))

    # then the paused clock neither reminds nor escalates nor flags
    case.refresh_from_db()
    assert kinds(case, EventKind.REMINDER, EventKind.ESCALATED, EventKind.FLAGGED) == []
    assert case.status == CaseStatus.WAITING_CITIZEN and case.breaches == 0


def test_closed_cases_are_never_touched(spkt, staff):
    # given a rejected case, and one whose agenda was left behind by an old bug
    officer, supervisor = staff
    rejected = open_case(spkt)
    with at(MONDAY + timedelta(hours=1)):
        case_reject(
            case=rejected,
            by=officer,
            reason=RejectReason.SPAM,
            note="Laporan berisi promosi, bukan pengaduan.",
        )
    stale = open_case(spkt)
    with at(MONDAY + timedelta(hours=1)):
        case_reject(
            case=stale, by=officer, reason=RejectReason.SPAM, note="Laporan berisi promosi."
        )
    Case.objects.filter(pk=stale.pk).update(next_sweep_at=DUE, sweep_stage="breach")
    events = {c.pk: c.events.count() for c in (rejected, stale)}
    outbox = Notification.objects.count()

    # when the sweep runs long after
    sweep(DUE + timedelta(days=30))

    # then neither case gets an event or a message; the stale agenda is cleared
    assert {c.pk: c.events.count() for c in (rejected, stale)} == events
    assert Notification.objects.count() == outbox
    assert Case.objects.get(pk=stale.pk).next_sweep_at is None


def test_the_command_enqueues_the_sweep_or_runs_it_now(spkt, staff):
    # given a case past its deadline
    case = open_case(spkt)
    out = StringIO()

    # when the command runs inline, then enqueued (the test backend runs tasks at once)
    with at(DUE + timedelta(hours=1)):
        call_command("sweep_cases", "--now", stdout=out)
        call_command("sweep_cases", stdout=out)

    # then the first run swept the case and the second found nothing more to do
    assert "Swept 1 cases (0 failed)" in out.getvalue()
    assert "Sweep enqueued" in out.getvalue()
    assert kinds(case, EventKind.ESCALATED) == [EventKind.ESCALATED]


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="SQLite serialises every writer; row locks between connections are PostgreSQL's",
)
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_of_one_case_at_once_act_once(spkt, staff):
    # given a case past its deadline
    officer, supervisor = staff
    case = open_case(spkt)
    barrier, results = threading.Barrier(2), []

    def run():
        try:
            barrier.wait()
            results.append(case_sweep(case_id=case.pk))
        finally:
            connection.close()

    # when two workers sweep it at the same moment
    with at(DUE + timedelta(hours=1)):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    # then one escalated and the other found nothing to do
    assert sorted(results) == ["", "breach"]
    assert kinds(case, EventKind.ESCALATED) == [EventKind.ESCALATED]
    assert messages_to(supervisor).count() == 1 and case.flags.count() == 1


def test_a_late_first_escalation_still_gives_the_supervisor_the_grace(spkt, staff):
    # given a case whose deadline passed three days before the sweep first ran
    case = open_case(spkt)
    late = DUE + timedelta(days=3)

    # when the sweep runs, then five minutes later
    sweep(late)
    sweep(late + timedelta(minutes=5))

    # then only the first level is alerted; the second waits 48 hours from the escalation
    case.refresh_from_db()
    assert [e.data["level"] for e in case.events.filter(kind=EventKind.ESCALATED)] == [1]
    assert (case.next_sweep_at, case.sweep_stage) == (late + timedelta(hours=48), "second")
