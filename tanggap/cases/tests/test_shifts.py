"""Shifts at a 24-hour unit: new reports to the officer on duty, cases handed over at the end."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UserFactory
from tanggap.cases.choices import CaseStatus, EventKind
from tanggap.cases.models import Case, Shift
from tanggap.cases.shifts import shift_handover
from tanggap.cases.tasks import sweep_cases
from tanggap.cases.workflow import case_assign, case_reject
from tanggap.common.exceptions import ApplicationError
from tanggap.intake.tests.factories import submit_report

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
MORNING = datetime(2026, 11, 16, 8, 0, tzinfo=WIB)
AFTERNOON = MORNING + timedelta(hours=8)
NIGHT = AFTERNOON + timedelta(hours=8)


def at(moment):
    return time_machine.travel(moment, tick=False)


def member(unit, username, role=Role.OFFICER):
    user = UserFactory(username=username)
    MembershipFactory(user=user, unit=unit, role=role)
    return user


def roster(unit, officer, starts, hours=8):
    # The roster is configuration entered in the admin; there is no service for it.
    return Shift.objects.create(
        unit=unit, officer=officer, starts_at=starts, ends_at=starts + timedelta(hours=hours)
    )


def report(unit, when):
    with at(when):
        return submit_report(unit).report.case


def handover_events(case):
    return list(case.events.filter(kind=EventKind.HANDED_OVER))


def test_a_new_report_goes_to_the_officer_on_duty_with_the_fewest_open_cases(spkt, officer):
    # given two officers on the morning shift, the first already holding an open case
    rina = member(spkt, "rina")
    roster(spkt, officer, MORNING)
    roster(spkt, rina, MORNING)
    roster(spkt, member(spkt, "malam"), AFTERNOON)
    first = report(spkt, MORNING + timedelta(hours=1))
    assert first.assignee == officer

    # when two more reports arrive during the shift
    second = report(spkt, MORNING + timedelta(hours=2))
    third = report(spkt, MORNING + timedelta(hours=3))

    # then the less busy officer takes the next, and the tie goes to the first on the roster
    assert (second.assignee, third.assignee) == (rina, officer)
    assert second.events.get(kind=EventKind.RECEIVED).data["roster"] is True


def test_a_report_outside_any_shift_waits_in_the_unit_queue(spkt, officer):
    # given a roster with nobody on duty at night
    roster(spkt, officer, MORNING)

    # when a report arrives at night
    case = report(spkt, NIGHT + timedelta(hours=1))

    # then it has no officer
    assert case.assignee is None


@pytest.fixture
def day(spkt, officer, supervisor):
    """The officer's morning shift with two open cases and one closed; two afternoon officers."""
    shift = roster(spkt, officer, MORNING)
    cases = [report(spkt, MORNING + timedelta(hours=h)) for h in (1, 2, 3)]
    with at(MORNING + timedelta(hours=4)):
        case_reject(
            case=cases[2], by=officer, reason="spam", note="Laporan berisi promosi, bukan aduan."
        )
    budi, sari = member(spkt, "budi"), member(spkt, "sari")
    roster(spkt, budi, AFTERNOON)
    roster(spkt, sari, AFTERNOON)
    # Budi already holds a case from earlier.
    with at(MORNING - timedelta(days=1)):
        held = submit_report(spkt).report.case
        case_assign(case=held, by=supervisor, officer=budi)
    return shift, cases, budi, sari


def test_the_handover_gives_the_open_cases_to_the_next_shift_least_busy_first(day, officer):
    # given the officer's morning shift with two open cases
    shift, (one, two, closed), budi, sari = day

    # when the officer hands over at the end of the shift
    with at(AFTERNOON + timedelta(minutes=5)):
        handed = shift_handover(shift=shift, by=officer, note="Kasus 1 menunggu berkas SKCK.")

    # then Sari (no cases) takes the first, the tie goes to Budi (first on the roster)
    assert [c.pk for c in handed] == [one.pk, two.pk]
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.assignee, two.assignee) == (sari, budi)
    event = handover_events(one)[0]
    assert not event.is_public and event.actor == officer
    assert event.message == "Kasus 1 menunggu berkas SKCK."
    assert (event.data["from"], event.data["to"]) == (officer.pk, sari.pk)
    # the closed case stays with its officer, without an event
    assert Case.objects.get(pk=closed.pk).assignee == officer and not handover_events(closed)
    shift.refresh_from_db()
    assert shift.handed_over_at == AFTERNOON + timedelta(minutes=5)
    assert shift.handover_note == "Kasus 1 menunggu berkas SKCK."


def test_the_handover_goes_to_the_shift_that_starts_next_when_nobody_is_on_duty(spkt, officer):
    # given a morning shift and, after a gap, a night shift
    shift = roster(spkt, officer, MORNING)
    case = report(spkt, MORNING + timedelta(hours=1))
    malam = member(spkt, "malam")
    roster(spkt, malam, NIGHT)

    # when the morning officer hands over
    with at(AFTERNOON):
        shift_handover(shift=shift, by=officer, note="")

    # then the night officer takes the case
    case.refresh_from_db()
    assert case.assignee == malam


def test_without_a_next_shift_the_cases_go_back_to_the_unit_queue(spkt, officer):
    # given the last shift on the roster, with an open case
    shift = roster(spkt, officer, MORNING)
    case = report(spkt, MORNING + timedelta(hours=1))

    # when it is handed over
    with at(AFTERNOON):
        shift_handover(shift=shift, by=officer, note="Pelapor akan datang lagi besok.")

    # then the case has no officer, and its event says it went back to the queue
    case.refresh_from_db()
    assert case.assignee is None and case.status == CaseStatus.RECEIVED
    event = handover_events(case)[0]
    assert event.data["to"] is None and event.data["queue"] is True
    note, _, queue_sentence = event.message.partition("\n\n")
    assert note == "Pelapor akan datang lagi besok." and queue_sentence


def test_a_shift_is_handed_over_once(day, officer):
    # given a shift handed over
    shift = day[0]
    with at(AFTERNOON):
        shift_handover(shift=shift, by=officer, note="Selesai.")

    # when it is handed over again
    with at(AFTERNOON + timedelta(minutes=1)), pytest.raises(ApplicationError) as refused:
        shift_handover(shift=shift, by=officer, note="Lagi.")

    # then it is refused, and nothing more was recorded
    assert refused.value.code == "handed_over"
    assert "16 November 2026 16:00" in refused.value.message
    assert all(len(handover_events(c)) <= 1 for c in Case.objects.all())
    shift.refresh_from_db()
    assert shift.handover_note == "Selesai."


def test_another_officer_may_not_hand_over_a_shift_but_a_supervisor_may(day, supervisor):
    # given the morning shift and an afternoon officer
    shift, _cases, budi, _sari = day

    # when the afternoon officer tries to hand it over, then the supervisor
    with at(AFTERNOON), pytest.raises(ApplicationError) as refused:
        shift_handover(shift=shift, by=budi, note="")
    with at(AFTERNOON):
        handed = shift_handover(shift=shift, by=supervisor, note="Diserahkan oleh kepala.")

    # then only the supervisor's handover is done
    assert refused.value.code == "forbidden"
    assert len(handed) == 2


def test_the_sweep_hands_over_a_shift_forgotten_for_half_an_hour(day):
    # given the morning shift ended without a handover
    shift, (one, two, _closed), budi, sari = day

    # when the sweep runs 20 minutes after its end, then 40 minutes after
    with at(AFTERNOON + timedelta(minutes=20)):
        assert sweep_cases.call()["handovers"] == 0
    with at(AFTERNOON + timedelta(minutes=40)):
        assert sweep_cases.call()["handovers"] == 1
        assert sweep_cases.call()["handovers"] == 0

    # then its cases went to the afternoon shift with an automatic note
    shift.refresh_from_db()
    assert shift.handed_over_at == AFTERNOON + timedelta(minutes=40)
    assert shift.handover_note
    one.refresh_from_db()
    assert one.assignee in (budi, sari)
    event = handover_events(one)[0]
    assert event.actor is None and event.message == shift.handover_note


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="SQLite serialises every writer; row locks between connections are PostgreSQL's",
)
@pytest.mark.django_db(transaction=True)
def test_two_handovers_of_one_shift_at_once_act_once(day, officer, supervisor):
    # given the morning shift with two open cases
    shift = day[0]
    barrier, results = threading.Barrier(2), []

    def run(by):
        try:
            barrier.wait()
            results.append(len(shift_handover(shift=shift, by=by, note="Serah terima.")))
        except ApplicationError as exc:
            results.append(exc.code)
        finally:
            connection.close()

    # when the officer and the supervisor hand it over at the same moment
    with at(AFTERNOON):
        threads = [threading.Thread(target=run, args=(by,)) for by in (officer, supervisor)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    # then one handed over both cases and the other was refused
    assert sorted(results, key=str) == [2, "handed_over"]
    assert all(len(handover_events(c)) <= 1 for c in Case.objects.all())


def test_an_officer_on_a_double_shift_keeps_the_cases(day, officer):
    # given the officer also works the afternoon shift
    shift, (one, two, _closed), _budi, _sari = day
    roster(shift.unit, officer, AFTERNOON)

    # when the morning shift is handed over
    with at(AFTERNOON):
        handed = shift_handover(shift=shift, by=officer, note="Lanjut giliran siang.")

    # then the cases stay with the officer, and the shift counts as handed over
    assert handed == []
    assert {c.assignee for c in Case.objects.filter(pk__in=[one.pk, two.pk])} == {officer}
    shift.refresh_from_db()
    assert shift.handed_over_at == AFTERNOON
