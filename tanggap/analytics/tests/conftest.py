"""Varied cases built through the real services, for rollups, pages and reports."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tanggap.accounts.models import Category
from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UnitFactory, UserFactory
from tanggap.cases.choices import Channel, RejectReason, ReportKind
from tanggap.cases.workflow import case_assign, case_reject, case_respond, case_verify
from tanggap.intake.tests.factories import submit_report
from tanggap.responses.services.verdicts import verdict_record

WIB = ZoneInfo("Asia/Jakarta")


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    """Return a moment of 2026 in WIB."""
    return datetime(2026, month, day, hour, minute, tzinfo=WIB)


def travel(moment: datetime):
    return time_machine.travel(moment, tick=False)


def report(unit, moment, **fields):
    """Submit a report at *moment* and return its case."""
    with travel(moment):
        return submit_report(unit, **fields).report


@pytest.fixture
def head(spkt):
    """The unit head (supervisor) of SPKT, with an e-mail address for the reports."""
    user = UserFactory(username="kepala_spkt", email="kepala@example.org", first_name="Kepala")
    MembershipFactory(user=user, unit=spkt, role=Role.SUPERVISOR)
    return user


@pytest.fixture
def sub_unit(spkt):
    return UnitFactory(organisation=spkt.organisation, parent=spkt, name="Pos Polisi Contoh")


@pytest.fixture
def varied(spkt, dpmptsp, sub_unit, officer, head, other_officer):
    """Cases of many kinds, channels, hours and fates, in November 2026 (WIB).

    Returns a dict of the notable reports by name.
    """
    category = Category.objects.get(organisation=spkt.organisation)
    made = {}
    # Handled well: verified, disposed to an officer, replied within the hour, rated 4.
    made["good"] = r = report(spkt, at(2, 8, 15), category=category)
    with travel(at(2, 8, 40)):
        case_verify(case=r.case, by=officer)
        case_assign(case=r.case, by=officer, officer=officer)
    with travel(at(2, 9, 30)):
        case_respond(case=r.case, by=officer, message="Antrian sudah kami tambah lokernya.")
    with travel(at(2, 12)):
        verdict_record(report=r, rating=4, comment="", accept=True)
    # Late at night, confidential, rejected as spam.
    made["confidential"] = r = report(
        spkt,
        at(2, 23, 30),
        kind=ReportKind.SUGGESTION,
        channel=Channel.WHATSAPP,
        is_confidential=True,
        title="Rahasia: nama saksi Slamet",
    )
    with travel(at(3, 9)):
        case_reject(
            case=r.case, by=officer, reason=RejectReason.SPAM, note="Pesan ini bukan laporan."
        )
    # Just after midnight WIB (still 2 November in UTC); replied weeks late, so flagged.
    made["late"] = r = report(
        spkt, at(3, 0, 30), kind=ReportKind.INFORMATION_REQUEST, channel=Channel.PHONE
    )
    with travel(at(28, 10)):
        case_respond(case=r.case, by=officer, message="Informasi yang diminta terlampir.")
    # Left alone: overdue.
    made["overdue"] = report(spkt, at(5, 14), channel=Channel.EMAIL)
    # A busy morning: six complaints, half of them verified.
    for n in range(6):
        r = report(spkt, at(10, 7 + n), category=category)
        if n % 2:
            with travel(at(10, 7 + n, 30)):
                case_verify(case=r.case, by=officer)
    # Disposed from SPKT to its sub-unit: the case moves to the sub-unit's cells.
    made["moved"] = r = report(spkt, at(12, 16))
    with travel(at(12, 17)):
        case_assign(case=r.case, by=head, unit=sub_unit)
    # Another organisation's unit.
    made["other"] = report(dpmptsp, at(4, 10), title="Izin PBG lambat sekali")
    report(dpmptsp, at(4, 11))
    return made
