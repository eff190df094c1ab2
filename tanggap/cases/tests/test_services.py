"""case_open and the event log: deadlines stored on the case, events never rewritten."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from tanggap.accounts.models import UnitClosure
from tanggap.accounts.tests.factories import UnitFactory
from tanggap.cases.choices import CaseStatus, Channel, EventKind, ReportKind, Step
from tanggap.cases.models import CaseEvent
from tanggap.cases.services import case_open

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def open_case(unit, received_at, reference="TGP-TEST-0001"):
    return case_open(
        unit=unit,
        reference=reference,
        kind=ReportKind.COMPLAINT,
        channel=Channel.WEB,
        title="Uji",
        received_at=received_at,
    )


def test_office_unit_gets_three_working_days_to_verify():
    # domain.md 2.4b: verification and forwarding within 3 hari kerja (LAPOR!).
    unit = UnitFactory()
    monday = datetime(2026, 11, 16, 15, 0, tzinfo=WIB)

    case = open_case(unit, monday)

    assert case.status == CaseStatus.RECEIVED and case.due_step == Step.VERIFICATION
    assert case.due_at.astimezone(WIB).date() == date(2026, 11, 19)


def test_a_unit_closure_pushes_the_deadline():
    unit = UnitFactory()
    UnitClosure.objects.create(unit=unit, date=date(2026, 11, 18), reason="Pemeliharaan gedung")

    case = open_case(unit, datetime(2026, 11, 16, 15, 0, tzinfo=WIB))

    assert case.due_at.astimezone(WIB).date() == date(2026, 11, 20)


def test_a_national_working_day_revision_cancels_a_cuti_bersama():
    # 24 Dec 2026 is cuti bersama in the holidays package; an SKB may revoke it.
    unit = UnitFactory()
    UnitClosure.objects.create(
        unit=None, date=date(2026, 12, 24), is_working_day=True, reason="Revisi SKB"
    )

    case = open_case(unit, datetime(2026, 12, 21, 9, 0, tzinfo=WIB))

    assert case.due_at.astimezone(WIB).date() == date(2026, 12, 24)


def test_a_24_hour_unit_counts_calendar_hours():
    unit = UnitFactory(open_24h=True)
    saturday_night = datetime(2026, 11, 21, 23, 30, tzinfo=WIB)

    case = open_case(unit, saturday_night)

    assert case.due_at == datetime(2026, 11, 24, 23, 30, tzinfo=WIB)


def test_the_first_event_is_public_and_the_log_cannot_be_rewritten():
    case = open_case(UnitFactory(), datetime(2026, 11, 16, 15, 0, tzinfo=WIB))
    event = case.events.get()

    assert event.kind == EventKind.RECEIVED and event.is_public
    event.message = "changed"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        CaseEvent.objects.filter(case=case).update(message="changed")
    with pytest.raises(TypeError):
        CaseEvent.objects.filter(case=case).delete()
    assert CaseEvent.objects.get().message == ""


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="SQLite: the model and queryset guard the log; the trigger is PostgreSQL's",
)
def test_postgresql_refuses_raw_changes_to_the_log():
    case = open_case(UnitFactory(), datetime(2026, 11, 16, 15, 0, tzinfo=WIB))

    for sql in ("UPDATE cases_caseevent SET message = 'x'", "DELETE FROM cases_caseevent"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert case.events.get().message == ""
