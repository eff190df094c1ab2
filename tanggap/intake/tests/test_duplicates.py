"""Duplicates: a report joins an existing case and leaves it again; every reporter hears of it."""

import pytest
from django.core import mail

from tanggap.cases import workflow
from tanggap.cases.choices import CaseStatus, EventKind, FlagKind
from tanggap.common.exceptions import ApplicationError
from tanggap.intake.models import Report
from tanggap.intake.services import cases_merge, report_attach, report_detach
from tanggap.intake.tests.factories import submit_report

pytestmark = pytest.mark.django_db


def test_an_attached_report_follows_the_case_and_its_reporter_gets_the_updates(
    spkt, officer, django_capture_on_commit_callbacks
):
    first = submit_report(spkt, email="ani@example.com").report
    second = submit_report(spkt, email="budi@example.com", title="Antrean SKCK lagi").report
    emptied = second.case

    report_attach(report=second, case=first.case, by=officer)

    second.refresh_from_db()
    emptied.refresh_from_db()
    assert second.case == first.case
    assert emptied.status == CaseStatus.ARCHIVED
    assert not emptied.flags.filter(kind=FlagKind.FAILURE_TO_SERVE).exists()
    assert first.case.events.filter(kind=EventKind.REPORT_ATTACHED).exists()
    assert "Antrean SKCK lagi" in type(first.case).objects.get(pk=first.case_id).search_text

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.case_request_information(
            case=first.case, by=officer, message="Mohon sebutkan jam kedatangan Anda."
        )
    assert sorted(m.to[0] for m in mail.outbox) == ["ani@example.com", "budi@example.com"]
    assert all("jam kedatangan" in m.body for m in mail.outbox)


def test_a_report_is_detached_into_a_case_of_its_own(spkt, officer):
    first = submit_report(spkt).report
    second = submit_report(spkt, title="Parkir liar di depan SPKT").report
    report_attach(report=second, case=first.case, by=officer)

    new_case = report_detach(report=Report.objects.get(pk=second.pk), by=officer)

    assert new_case.pk != first.case_id and new_case.title == "Parkir liar di depan SPKT"
    assert new_case.status == CaseStatus.RECEIVED and new_case.due_at is not None
    # Its code still opens it (the emptied case kept the plain code as its reference).
    assert new_case.reference.startswith(second.tracking_code)
    assert first.case.events.filter(kind=EventKind.REPORT_DETACHED).exists()
    with pytest.raises(ApplicationError):
        report_detach(report=Report.objects.get(pk=first.pk), by=officer)


def test_merging_moves_every_report(spkt, officer):
    a, b, c = (submit_report(spkt, title=f"Keluhan {n}").report for n in "abc")

    moved = cases_merge(cases=[b.case, c.case], into=a.case, by=officer)

    assert moved == 2
    assert Report.objects.filter(case=a.case).count() == 3


@pytest.mark.parametrize("who", ["other_officer", "auditor"])
def test_attaching_needs_the_right_on_both_cases(spkt, officer, request, who):
    first = submit_report(spkt).report
    second = submit_report(spkt).report
    user = request.getfixturevalue(who)

    with pytest.raises(ApplicationError):
        report_attach(report=second, case=first.case, by=user)
    second.refresh_from_db()
    assert second.case_id != first.case_id


def test_a_closed_case_takes_no_new_report(spkt, officer, supervisor):
    first = submit_report(spkt).report
    workflow.case_archive(case=first.case, by=supervisor)
    second = submit_report(spkt).report

    with pytest.raises(ApplicationError) as refused:
        report_attach(report=second, case=first.case, by=officer)
    assert refused.value.code == "closed"


def test_a_report_of_another_organisation_cannot_join(spkt, dpmptsp, officer):
    from tanggap.accounts.roles import Role
    from tanggap.accounts.tests.factories import MembershipFactory

    MembershipFactory(user=officer, unit=dpmptsp, role=Role.OFFICER)
    first = submit_report(spkt).report
    other = submit_report(dpmptsp).report

    with pytest.raises(ApplicationError):
        report_attach(report=other, case=first.case, by=officer)


def test_new_information_resumes_a_waiting_case(spkt, officer):
    from tanggap.intake.services import report_add_information

    report = submit_report(spkt).report
    workflow.case_request_information(
        case=report.case, by=officer, message="Mohon sebutkan jam kedatangan Anda."
    )

    report_add_information(report=report, message="Saya datang jam 08.00.", files=[])

    report.case.refresh_from_db()
    assert report.case.status == CaseStatus.RECEIVED
    assert report.case.events.filter(kind=EventKind.INFORMATION_RECEIVED).exists()


def test_opening_an_identity_is_an_audit_event(spkt, officer):
    from tanggap.intake.services import identity_reveal

    report = submit_report(spkt).report

    identity_reveal(
        user=officer, report=report, reason="Perlu menghubungi pelapor untuk klarifikasi"
    )

    event = report.case.events.get(kind=EventKind.IDENTITY_OPENED)
    assert event.actor == officer and not event.is_public and event.origin == "system"
