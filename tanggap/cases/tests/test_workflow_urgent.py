"""case_mark_urgent: the system raises a case to urgent; its clock follows the urgent policy.

Dates counted by hand: Monday 23 November 2026 is an ordinary working week in WIB (no public
holiday or cuti bersama until 25 December). Three working days of verification from Monday
10:00 end on Thursday 26 November; one working day ends on Tuesday 24 November.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UnitFactory, UserFactory
from tanggap.cases import workflow
from tanggap.cases.choices import Channel, EventKind, Priority, RejectReason, ReportKind, Step
from tanggap.cases.models import CaseEvent, DeadlinePolicy
from tanggap.cases.services import case_open
from tanggap.notifications.models import Notification

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=WIB)


def end_of(day: int) -> datetime:
    return datetime(2026, 11, day, 23, 59, 59, 999999, tzinfo=WIB)


@pytest.fixture
def unit(db):
    unit = UnitFactory(name="Kelurahan Contoh", time_zone="Asia/Jakarta")
    DeadlinePolicy.objects.create(
        organisation=unit.organisation, priority=Priority.URGENT, verification_days=1
    )
    return unit


@pytest.fixture
def staff(unit):
    officer = UserFactory(username="jaga", email="jaga@example.com")
    head = UserFactory(username="lurah", email="lurah@example.com")
    MembershipFactory(user=officer, unit=unit, role=Role.OFFICER)
    MembershipFactory(user=head, unit=unit, role=Role.SUPERVISOR)
    return officer, head


def open_case(unit):
    with time_machine.travel(MONDAY_10, tick=False):
        return case_open(
            unit=unit,
            reference="TGP-URG-0001",
            kind=ReportKind.COMPLAINT,
            channel=Channel.WEB,
            title="Pohon tumbang",
            text="Pohon tumbang menimpa rumah warga.",
        )


def test_marking_urgent_moves_the_clock_records_a_private_event_and_alerts_staff(unit, staff):
    # given a case received on Monday at 10:00 on the normal three-day clock
    case = open_case(unit)
    assert case.due_at == end_of(26)

    # when the system marks it urgent a few minutes later
    with time_machine.travel(datetime(2026, 11, 23, 10, 5, tzinfo=WIB), tick=False):
        case = workflow.case_mark_urgent(case=case, reasons=["collapse"])

    # then it is urgent, verification is due under the urgent policy from receipt
    case.refresh_from_db()
    assert case.priority == Priority.URGENT
    assert case.due_step == Step.VERIFICATION and case.due_at == end_of(24)
    # and the event keeps the reasons, hidden from the reporter
    event = CaseEvent.objects.get(case=case, kind=EventKind.URGENT)
    assert not event.is_public and event.actor is None
    assert event.data["reasons"] == ["collapse"]
    assert event.data["priority"] == [Priority.NORMAL, Priority.URGENT]
    # and the unit's officer and supervisor are alerted
    keys = set(Notification.objects.filter(case=case).values_list("key", flat=True))
    officer, head = staff
    assert keys == {f"event:{event.pk}:user:{officer.pk}", f"event:{event.pk}:user:{head.pk}"}


def test_marking_twice_records_one_event(unit, staff):
    # given an urgent case
    case = workflow.case_mark_urgent(case=open_case(unit), reasons=["fire"])

    # when marked again
    workflow.case_mark_urgent(case=case, reasons=["fire"])

    # then nothing new is recorded
    assert CaseEvent.objects.filter(case=case, kind=EventKind.URGENT).count() == 1


def test_a_closed_case_is_left_alone(unit, staff):
    # given a rejected case
    officer, _head = staff
    case = workflow.case_reject(
        case=open_case(unit), by=officer, reason=RejectReason.SPAM, note="Laporan uji coba saja."
    )

    # when the system would mark it urgent
    case = workflow.case_mark_urgent(case=case, reasons=["collapse"])

    # then it keeps its priority and no event
    assert case.priority == Priority.NORMAL
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.URGENT).exists()
