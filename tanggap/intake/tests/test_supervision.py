"""The supervisor's team screen and the officer's shift handover."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UserFactory
from tanggap.cases import workflow
from tanggap.cases.choices import EventKind
from tanggap.cases.models import Shift
from tanggap.intake.tests.factories import submit_report

pytestmark = pytest.mark.django_db


def report_at(unit, ago, **kwargs):
    with time_machine.travel(timezone.now() - ago, tick=False):
        return submit_report(unit, **kwargs).report.case


@pytest.fixture
def team_cases(spkt, officer, supervisor):
    """Verified cases 10 and 5 days old (overdue) and 60 hours old (due soon); a new one."""
    oldest = report_at(spkt, timedelta(days=10), title="Paling lama")
    older = report_at(spkt, timedelta(days=5), title="Lama")
    soon = report_at(spkt, timedelta(hours=60), title="Hampir")
    for case in (oldest, older, soon):
        workflow.case_verify(case=case, by=supervisor)
    loose = report_at(spkt, timedelta(hours=1), title="Belum diambil")
    for case in (oldest, older, soon):
        case.refresh_from_db()
    return {"oldest": oldest, "older": older, "soon": soon, "loose": loose}


def assign_all(cases, by, to):
    for case in cases:
        case.refresh_from_db()
        workflow.case_assign(case=case, by=by, officer=to)


def test_the_team_screen_needs_the_right_to_supervise(client, spkt, officer, auditor):
    for user in (officer, auditor):
        client.force_login(user)
        assert client.get(reverse("officer:team")).status_code == 404


def test_workload_per_officer_and_the_overdue_list_oldest_first(
    client, spkt, officer, supervisor, team_cases
):
    # given two verified cases past their deadline, one due soon and a new one, none taken
    c = team_cases
    client.force_login(supervisor)

    # when the supervisor opens the team screen
    response = client.get(reverse("officer:team"))

    # then the overdue list starts at the oldest deadline
    assert response.status_code == 200
    overdue = [case.pk for case in response.context["overdue"].items]
    assert overdue == [c["oldest"].pk, c["older"].pk]
    rows = {row["officer"]: row for row in response.context["workload"]}
    assert (rows[None]["open"], rows[None]["overdue"], rows[None]["soon"]) == (4, 2, 1)


def test_workload_counts_each_officers_cases(client, spkt, officer, supervisor, team_cases):
    # given the two oldest cases disposed to the officer nine days ago
    c = team_cases
    with time_machine.travel(timezone.now() - timedelta(days=9), tick=False):
        assign_all([c["oldest"], c["older"]], supervisor, officer)
    client.force_login(supervisor)

    # when the supervisor opens the team screen
    rows = {row["officer"]: row for row in client.get(reverse("officer:team")).context["workload"]}

    # then the officer's row counts them: five days to the first reply have passed
    assert (rows[officer]["open"], rows[officer]["overdue"]) == (2, 2)
    assert rows[supervisor]["open"] == 0
    assert rows[None]["open"] == 2


def test_escalated_cases_are_listed(client, spkt, officer, supervisor):
    # given a reopened case (a reopening escalates)
    case = submit_report(spkt).report.case
    workflow.case_assign(case=case, by=officer, officer=officer)
    workflow.case_resolve(case=case, by=officer)
    workflow.case_reopen(case=case, by=supervisor, reason="Pelapor belum puas dengan hasilnya.")
    quiet = submit_report(spkt).report.case
    client.force_login(supervisor)

    # when the supervisor opens the team screen
    escalated = client.get(reverse("officer:team")).context["escalated"].items

    # then only the escalated case is listed
    assert [c.pk for c in escalated] == [case.pk] and quiet.pk not in [c.pk for c in escalated]


def test_another_organisations_supervisor_sees_none_of_it(client, spkt, dpmptsp, team_cases):
    head = UserFactory(username="kepala_lain")
    MembershipFactory(user=head, unit=dpmptsp, role=Role.SUPERVISOR)
    client.force_login(head)

    response = client.get(reverse("officer:team"))

    assert response.context["overdue"].items == []
    assert team_cases["oldest"].reference not in response.content.decode()


@pytest.fixture
def running_shift(spkt, officer):
    now = timezone.now()
    return Shift.objects.create(
        unit=spkt,
        officer=officer,
        starts_at=now - timedelta(hours=7),
        ends_at=now + timedelta(hours=1),
    )


def test_the_inbox_links_the_handover_during_a_shift(client, officer, running_shift):
    client.force_login(officer)

    html = client.get(reverse("officer:inbox")).content.decode()

    assert reverse("officer:handover") in html


def test_an_officer_hands_over_the_shift_with_a_note(client, spkt, officer, running_shift):
    # given the officer on shift holding an open case, and a colleague on the next shift
    case = submit_report(spkt).report.case
    assert case.assignee == officer
    colleague = UserFactory(username="malam")
    MembershipFactory(user=colleague, unit=spkt, role=Role.OFFICER)
    Shift.objects.create(
        unit=spkt,
        officer=colleague,
        starts_at=running_shift.ends_at,
        ends_at=running_shift.ends_at + timedelta(hours=8),
    )
    client.force_login(officer)
    page = client.get(reverse("officer:handover"))
    assert page.status_code == 200 and case.reference in page.content.decode()

    # when the officer writes the note and hands over
    response = client.post(
        reverse("officer:handover"),
        {"shift": running_shift.pk, "note": "Kasus SKCK menunggu konfirmasi loket."},
    )

    # then the shift is handed over and the case went to the next shift
    assert response.status_code == 302
    running_shift.refresh_from_db()
    case.refresh_from_db()
    assert running_shift.handed_over_at is not None
    assert running_shift.handover_note == "Kasus SKCK menunggu konfirmasi loket."
    assert case.assignee == colleague
    assert case.events.filter(kind=EventKind.HANDED_OVER).exists()


def test_someone_elses_shift_is_404_here(client, spkt, running_shift):
    colleague = UserFactory(username="rekan")
    MembershipFactory(user=colleague, unit=spkt, role=Role.OFFICER)
    client.force_login(colleague)

    response = client.post(
        reverse("officer:handover"), {"shift": running_shift.pk, "note": "Tidak ada catatan."}
    )

    assert response.status_code == 404
    running_shift.refresh_from_db()
    assert running_shift.handed_over_at is None


def test_a_shift_handed_over_twice_is_refused_with_the_message(client, officer, running_shift):
    client.force_login(officer)
    data = {"shift": running_shift.pk, "note": "Tidak ada yang mendesak."}
    client.post(reverse("officer:handover"), data)

    response = client.post(reverse("officer:handover"), data)

    assert response.status_code == 400 and response.context["form"].non_field_errors()


def test_without_a_shift_there_is_nothing_to_hand_over(client, officer):
    client.force_login(officer)

    response = client.get(reverse("officer:handover"))

    assert response.status_code == 200 and response.context["shift"] is None


def test_the_handover_needs_the_right_to_handle_cases(client, auditor, other_officer):
    client.force_login(auditor)

    assert client.get(reverse("officer:handover")).status_code == 404
