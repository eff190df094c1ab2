"""Records imported already finished elsewhere: backdated, archived, never judged by our clock."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tanggap.cases.choices import CaseStatus, EventKind
from tanggap.cases.flags import case_flags_refresh
from tanggap.cases.models import CaseFlag
from tanggap.cases.workflow import case_archive_imported, case_verify
from tanggap.common.exceptions import ApplicationError
from tanggap.intake.tests.factories import submit_report

pytestmark = pytest.mark.django_db

YEARS_AGO = timedelta(days=800)


def test_a_finished_import_is_archived_without_flags_or_alerts(dpmptsp, other_officer, mailoutbox):
    received = timezone.now() - YEARS_AGO
    report = submit_report(
        dpmptsp,
        email="",
        received_at=received,
        historical=True,
        received_by=other_officer,
        external_source="lapor",
        external_ref="5216807",
    ).report

    case = case_archive_imported(
        case=report.case, by=other_officer, message="Selesai di LAPOR!", data={}
    )
    case_flags_refresh(case=case)

    report.refresh_from_db()
    assert report.created_at == received and case.received_at == received
    assert case.status == CaseStatus.ARCHIVED and case.due_at is None
    assert not CaseFlag.objects.filter(case=case).exists()
    archived = case.events.get(kind=EventKind.ARCHIVED)
    assert archived.data["imported"] is True and not archived.is_public
    assert case.priority == "normal" and mailoutbox == []


def test_an_open_import_keeps_its_original_date_and_is_overdue_at_once(dpmptsp):
    received = timezone.now() - YEARS_AGO

    case = submit_report(dpmptsp, received_at=received).report.case

    assert case.received_at == received and case.due_at < timezone.now()


def test_only_a_fresh_import_can_be_archived_as_finished_elsewhere(dpmptsp, other_officer):
    case = submit_report(dpmptsp).report.case
    case_verify(case=case, by=other_officer)

    with pytest.raises(ApplicationError) as refused:
        case_archive_imported(case=case, by=other_officer, message="", data={})
    assert refused.value.code == "not_imported"


def test_an_officer_of_another_unit_cannot_archive_an_import(dpmptsp, officer):
    case = submit_report(dpmptsp, historical=True).report.case

    with pytest.raises(ApplicationError):
        case_archive_imported(case=case, by=officer, message="", data={})
