"""Deadlines stored on the case at each transition, with a frozen clock.

domain.md 2.4b: verification and forwarding 3 hari kerja, first substantive reply 5 hari kerja,
resolution 2 / 5 / 14 / 60 hari kerja by complexity, the reporter's reply window 10 days and
the completion of missing information 30 days ("hari", UU 25/2009 44(4)). Every expected date
below was counted by hand on the 2026/2027 calendar (cuti bersama included).
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tanggap.accounts.models import UnitClosure
from tanggap.accounts.tests.factories import UnitFactory
from tanggap.cases import workflow
from tanggap.cases.choices import Channel, Priority, ReportKind, Step
from tanggap.cases.models import DayType, DeadlinePolicy
from tanggap.cases.policies import DEFAULT_POLICY, policy_for
from tanggap.cases.services import case_open

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
WIT = ZoneInfo("Asia/Jayapura")


def at(*args, tz=WIB):
    return datetime(*args, tzinfo=tz)


def end_of(day: date, tz=WIB):
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=tz) - timedelta(
        microseconds=1
    )


def open_case(unit, when, kind=ReportKind.COMPLAINT, priority=Priority.NORMAL, ref="TGP-DUE-0001"):
    with time_machine.travel(when, tick=False):
        return case_open(
            unit=unit,
            reference=ref,
            kind=kind,
            priority=priority,
            channel=Channel.WEB,
            title="Izin belum terbit",
            received_at=when,
        )


@pytest.fixture
def office(db):
    return UnitFactory(name="DPMPTSP", time_zone="Asia/Jakarta")


@pytest.fixture
def handler(office):
    from tanggap.accounts.roles import Role
    from tanggap.accounts.tests.factories import MembershipFactory, UserFactory

    user = UserFactory(username="penangan")
    MembershipFactory(user=user, unit=office, role=Role.SUPERVISOR)
    return user


def test_verification_skips_christmas_cuti_bersama_and_the_weekend(office):
    # Tue 22 Dec 2026: Wed 23 (1), Thu 24 cuti bersama, Fri 25 Natal, weekend,
    # Mon 28 (2), Tue 29 (3).
    case = open_case(office, at(2026, 12, 22, 10))

    assert case.due_step == Step.VERIFICATION
    assert case.due_at == end_of(date(2026, 12, 29))


def test_first_reply_runs_from_the_disposition_past_new_year_and_isra_mikraj(office, handler):
    case = open_case(office, at(2026, 12, 22, 10))
    with time_machine.travel(at(2026, 12, 29, 9), tick=False):
        case = workflow.case_assign(case=case, by=handler)

    # Wed 30 (1), Thu 31 (2), Fri 1 Jan holiday, Mon 4 (3), Tue 5 Isra Mikraj, Wed 6 (4), Thu 7 (5).
    assert case.due_step == Step.FIRST_REPLY
    assert case.due_at == end_of(date(2027, 1, 7))


def test_a_second_disposition_does_not_restart_the_clock(office, handler):
    sub = UnitFactory(organisation=office.organisation, parent=office, name="Bidang Perizinan")
    case = open_case(office, at(2026, 12, 22, 10))
    with time_machine.travel(at(2026, 12, 29, 9), tick=False):
        case = workflow.case_assign(case=case, by=handler)
    with time_machine.travel(at(2027, 1, 6, 9), tick=False):
        case = workflow.case_assign(case=case, by=handler, unit=sub)

    assert case.due_at == end_of(date(2027, 1, 7))


def test_waiting_for_the_reporter_pauses_the_clock(office, handler):
    case = open_case(office, at(2026, 12, 22, 10))
    with time_machine.travel(at(2026, 12, 29, 9), tick=False):
        case = workflow.case_assign(case=case, by=handler)
    with time_machine.travel(at(2026, 12, 30, 10), tick=False):
        case = workflow.case_request_information(
            case=case, by=handler, message="Mohon kirim nomor pendaftaran."
        )
    # The reporter has 30 days (calendar): to Fri 29 Jan 2027.
    assert case.due_step == Step.CITIZEN_INFORMATION
    assert case.due_at == end_of(date(2027, 1, 29))

    with time_machine.travel(at(2027, 1, 4, 10), tick=False):
        case = workflow.case_information_received(case=case)

    # Paused Wed 30 Dec to Mon 4 Jan: Thu 31 and Mon 4 were working days, so the
    # first-reply deadline (Thu 7 Jan) moves two working days: Fri 8, Mon 11.
    assert case.due_step == Step.FIRST_REPLY
    assert case.due_at == end_of(date(2027, 1, 11))


def test_a_pause_within_one_day_gives_no_time_back(office, handler):
    case = open_case(office, at(2026, 11, 16, 8))
    with time_machine.travel(at(2026, 11, 16, 9), tick=False):
        case = workflow.case_request_information(
            case=case, by=handler, message="Mohon kirim nomor pendaftaran."
        )
    with time_machine.travel(at(2026, 11, 16, 15), tick=False):
        case = workflow.case_information_received(case=case)

    assert case.due_at == end_of(date(2026, 11, 19))


def test_the_reporters_reply_window_is_ten_calendar_days(office, handler):
    case = open_case(office, at(2026, 12, 22, 10))
    with time_machine.travel(at(2026, 12, 24, 15), tick=False):
        case = workflow.case_respond(case=case, by=handler, message="Izin Anda sudah terbit.")

    assert case.due_step == Step.CITIZEN_REPLY
    assert case.due_at == end_of(date(2027, 1, 3))


def test_a_24_hour_unit_counts_elapsed_hours_even_over_holidays(spkt, supervisor):
    case = open_case(spkt, at(2026, 12, 24, 22))

    assert case.due_at == at(2026, 12, 27, 22)

    with time_machine.travel(at(2026, 12, 25, 1), tick=False):
        case = workflow.case_request_information(
            case=case, by=supervisor, message="Mohon sebutkan nomor polisi kendaraan."
        )
    with time_machine.travel(at(2026, 12, 25, 6), tick=False):
        case = workflow.case_information_received(case=case)

    # Five hours of waiting are given back exactly.
    assert case.due_at == at(2026, 12, 28, 3)


def test_the_units_own_time_zone_decides_the_local_day(db):
    papua = UnitFactory(name="Unit Jayapura", time_zone="Asia/Jayapura")
    java = UnitFactory(name="Unit Surabaya", time_zone="Asia/Jakarta")
    # Thu 19 Nov 2026 23:30 WIB is already Fri 20 Nov 01:30 WIT.
    moment = at(2026, 11, 19, 23, 30)

    in_papua = open_case(papua, moment, ref="TGP-DUE-0002")
    in_java = open_case(java, moment, ref="TGP-DUE-0003")

    assert in_papua.due_at == end_of(date(2026, 11, 25), WIT)
    assert in_java.due_at == end_of(date(2026, 11, 24), WIB)


def test_a_unit_closure_and_a_national_revision_move_the_deadline(office):
    UnitClosure.objects.create(unit=office, date=date(2026, 11, 17), reason="Pindah gedung")
    # A national revision: Saturday 21 Nov declared a working day (is_working_day).
    UnitClosure.objects.create(
        unit=None, date=date(2026, 11, 21), reason="Hari kerja pengganti", is_working_day=True
    )

    case = open_case(office, at(2026, 11, 16, 8))

    # Tue 17 closed: Wed 18 (1), Thu 19 (2), Fri 20 (3).
    assert case.due_at == end_of(date(2026, 11, 20))
    later = open_case(office, at(2026, 11, 18, 8), ref="TGP-DUE-0004")
    # Thu 19 (1), Fri 20 (2), Sat 21 declared working (3).
    assert later.due_at == end_of(date(2026, 11, 21))


def test_resolution_follows_complexity_from_receipt(office, handler):
    case = open_case(office, at(2026, 11, 2, 9))
    with time_machine.travel(at(2026, 11, 2, 10), tick=False):
        case = workflow.case_verify(case=case, by=handler, complexity="inspection")
        case = workflow.case_assign(case=case, by=handler)
    with time_machine.travel(at(2026, 11, 3, 10), tick=False):
        workflow.case_progress_update(case=case, by=handler, message="Sedang kami periksa.")
    case.refresh_from_db()

    # 60 working days after Mon 2 Nov 2026: 20 in November (3-30), 21 in December (24 cuti
    # bersama and 25 Natal off), then 4, 6-8, 11-15, 18-22, 25-29 January (1 and 5 off): Fri 29.
    assert case.first_replied_at is not None and case.due_step == Step.RESOLUTION
    assert case.due_at == end_of(date(2027, 1, 29))


def test_the_most_specific_policy_wins(office):
    sub = UnitFactory(organisation=office.organisation, parent=office, name="Seksi Pengaduan")
    org = office.organisation
    DeadlinePolicy.objects.create(organisation=org, verification_days=5)
    DeadlinePolicy.objects.create(organisation=org, unit=office, verification_days=2)
    DeadlinePolicy.objects.create(
        organisation=org, unit=office, kind=ReportKind.COMPLAINT, verification_days=1
    )
    DeadlinePolicy.objects.create(
        organisation=org,
        unit=office,
        kind=ReportKind.COMPLAINT,
        priority=Priority.URGENT,
        verification_days=0,
    )

    assert policy_for(office, kind="suggestion", priority="normal").verification_days == 2
    assert policy_for(office, kind="complaint", priority="normal").verification_days == 1
    assert policy_for(office, kind="complaint", priority="urgent").verification_days == 0
    # A sub-unit inherits its parent's policy; another organisation keeps the defaults.
    assert policy_for(sub, kind="complaint", priority="normal").verification_days == 1
    assert policy_for(UnitFactory(), kind="complaint", priority="normal") == DEFAULT_POLICY

    urgent = open_case(office, at(2026, 11, 16, 8), priority=Priority.URGENT)
    assert urgent.due_at == end_of(date(2026, 11, 16))


def test_a_policy_may_count_calendar_days(office):
    DeadlinePolicy.objects.create(
        organisation=office.organisation, unit=office, day_type=DayType.CALENDAR_DAYS
    )

    case = open_case(office, at(2026, 12, 22, 10))

    assert case.due_at == end_of(date(2026, 12, 25))


def test_the_sweep_agenda_is_the_reminder_then_the_deadline(office):
    case = open_case(office, at(2026, 11, 16, 8))

    assert case.sweep_stage == "remind"
    assert case.next_sweep_at == case.due_at - timedelta(hours=24)
