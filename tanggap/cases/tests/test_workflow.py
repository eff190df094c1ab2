"""The transition table, exhaustively: every legal transition works, every illegal one is refused.

domain.md 2.4 (SP4N-LAPOR! flow): received → verified → disposed → followed up → replied →
resolved → archived, with waiting for the reporter, rejection and reopening on the side.
"""

import pytest

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UnitFactory, UserFactory
from tanggap.cases import workflow
from tanggap.cases.choices import (
    TRANSITION_EVENTS,
    TRANSITIONS,
    CaseStatus,
    Channel,
    EventKind,
    RejectReason,
    ReportKind,
    Transition,
)
from tanggap.cases.models import Case, CaseEvent
from tanggap.cases.services import case_open
from tanggap.common.exceptions import ApplicationError

pytestmark = pytest.mark.django_db


def open_case(unit, reference="TGP-TEST-0001", kind=ReportKind.COMPLAINT):
    return case_open(
        unit=unit,
        reference=reference,
        kind=kind,
        channel=Channel.WEB,
        title="Antrean SKCK lama",
        text="Saya menunggu tiga jam.",
    )


def force_status(case, status):
    """Put a case in *status* for a test of the table (the only write outside the services)."""
    Case.objects.filter(pk=case.pk).update(status=status)
    case.refresh_from_db()
    return case


def perform(transition, case, officer, supervisor):
    """Call the service of *transition* with valid arguments."""
    calls = {
        Transition.VERIFY: lambda: workflow.case_verify(case=case, by=officer),
        Transition.ASSIGN: lambda: workflow.case_assign(case=case, by=officer, officer=officer),
        Transition.START: lambda: workflow.case_start(case=case, by=officer),
        Transition.REQUEST_INFORMATION: lambda: workflow.case_request_information(
            case=case, by=officer, message="Mohon kirim nomor antrean Anda."
        ),
        Transition.INFORMATION_RECEIVED: lambda: workflow.case_information_received(
            case=case, by=officer
        ),
        Transition.RESPOND: lambda: workflow.case_respond(
            case=case, by=officer, message="Petugas loket sudah kami tambah."
        ),
        Transition.RESOLVE: lambda: workflow.case_resolve(case=case, by=officer),
        Transition.REOPEN: lambda: workflow.case_reopen(
            case=case, by=supervisor, reason="Jawaban belum menjawab keluhan."
        ),
        Transition.REJECT: lambda: workflow.case_reject(
            case=case, by=officer, reason=RejectReason.SPAM, note="Pesan berulang tanpa isi."
        ),
        Transition.WITHDRAW: lambda: workflow.case_withdraw(case=case, by=officer),
        Transition.ARCHIVE: lambda: workflow.case_archive(case=case, by=supervisor),
    }
    return calls[transition]()


LEGAL = [(t, s) for t, (sources, _) in TRANSITIONS.items() for s in sorted(sources)]
ILLEGAL = [
    (t, s) for t, (sources, _) in TRANSITIONS.items() for s in CaseStatus if s not in sources
]


def test_the_table_covers_every_transition_and_names_its_event():
    assert set(TRANSITIONS) == set(Transition) == set(TRANSITION_EVENTS)
    # Each status but archived has a way on; archived is the end.
    for status in CaseStatus:
        onward = [t for t, (sources, _) in TRANSITIONS.items() if status in sources]
        assert bool(onward) == (status != CaseStatus.ARCHIVED), status


@pytest.mark.parametrize(("transition", "status"), LEGAL)
def test_every_legal_transition_moves_the_case_and_records_its_event(
    transition, status, spkt, officer, supervisor
):
    case = force_status(open_case(spkt), status)
    before = case.version
    events = CaseEvent.objects.filter(case=case).count()

    case = perform(transition, case, officer, supervisor)

    target = TRANSITIONS[transition][1] or CaseStatus.RECEIVED
    case.refresh_from_db()
    assert case.status == target
    assert case.version == before + 1
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert len(kinds) > events
    assert TRANSITION_EVENTS[transition] in kinds[events:]


@pytest.mark.parametrize(("transition", "status"), ILLEGAL)
def test_every_illegal_transition_is_refused_and_changes_nothing(
    transition, status, spkt, officer, supervisor
):
    case = force_status(open_case(spkt), status)
    snapshot = Case.objects.filter(pk=case.pk).values().get()
    events = CaseEvent.objects.filter(case=case).count()

    with pytest.raises(ApplicationError) as refused:
        perform(transition, case, officer, supervisor)

    assert refused.value.code == "illegal_transition"
    assert str(CaseStatus(status).label) in refused.value.message
    assert Case.objects.filter(pk=case.pk).values().get() == snapshot
    assert CaseEvent.objects.filter(case=case).count() == events


def test_the_full_path_received_to_archived(spkt, officer, supervisor):
    case = open_case(spkt)
    case = workflow.case_verify(case=case, by=officer, complexity="simple")
    case = workflow.case_assign(case=case, by=officer, officer=officer, note="Mohon ditangani")
    case = workflow.case_start(case=case, by=officer)
    case = workflow.case_respond(case=case, by=officer, message="Sudah kami perbaiki.")
    case = workflow.case_resolve(case=case, by=None, how="citizen")
    case = workflow.case_archive(case=case, by=supervisor)

    assert case.status == CaseStatus.ARCHIVED and case.closed_at and case.due_at is None
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.RECEIVED,
        EventKind.VERIFIED,
        EventKind.ASSIGNED,
        EventKind.NOTE,
        EventKind.STARTED,
        EventKind.RESPONDED,
        EventKind.RESOLVED,
        EventKind.ARCHIVED,
    ]
    assert not case.flags.exists()


def test_an_officer_of_another_unit_may_not_act(spkt, other_officer):
    case = open_case(spkt)

    with pytest.raises(ApplicationError) as refused:
        workflow.case_verify(case=case, by=other_officer)

    assert refused.value.code == "forbidden"
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.UNIT_ADMIN, Role.SURVEYOR])
def test_roles_without_the_right_to_handle_may_not_verify(spkt, role):
    user = UserFactory()
    MembershipFactory(user=user, unit=spkt, role=role)

    with pytest.raises(ApplicationError) as refused:
        workflow.case_verify(case=open_case(spkt), by=user)
    assert refused.value.code == "forbidden"


def test_only_a_supervisor_archives(spkt, officer, supervisor):
    case = open_case(spkt)

    with pytest.raises(ApplicationError):
        workflow.case_archive(case=case, by=officer)
    assert workflow.case_archive(case=case, by=supervisor).status == CaseStatus.ARCHIVED


def test_a_stale_form_is_refused_and_the_first_action_stands(spkt, officer):
    case = open_case(spkt)
    shown = case.version
    workflow.case_verify(case=case, by=officer, version=shown)

    with pytest.raises(ApplicationError) as refused:
        workflow.case_reject(
            case=case,
            by=officer,
            reason=RejectReason.SPAM,
            note="Pesan berulang tanpa isi.",
            version=shown,
        )

    assert refused.value.code == "conflict"
    case.refresh_from_db()
    assert case.status == CaseStatus.VERIFIED


def test_not_within_authority_needs_the_agency_it_goes_to(spkt, officer):
    case = open_case(spkt)

    with pytest.raises(ApplicationError) as refused:
        workflow.case_reject(
            case=case,
            by=officer,
            reason=RejectReason.NOT_WITHIN_AUTHORITY,
            note="Bukan kewenangan kepolisian.",
        )
    assert refused.value.code == "forwarded_to"

    case = workflow.case_reject(
        case=case,
        by=officer,
        reason=RejectReason.NOT_WITHIN_AUTHORITY,
        note="Bukan kewenangan kepolisian; kami teruskan.",
        forwarded_to="Dinas Perhubungan Kota",
    )
    event = case.events.get(kind=EventKind.REJECTED)
    assert event.is_public and event.data["forwarded_to"] == "Dinas Perhubungan Kota"
    assert not case.flags.exists()


def test_disposition_goes_down_the_tree_only(spkt, officer):
    child = UnitFactory(organisation=spkt.organisation, parent=spkt, name="Unit Reskrim")
    sibling_org_unit = UnitFactory(organisation=spkt.organisation, name="Polsek Lain")
    case = open_case(spkt)

    with pytest.raises(ApplicationError) as refused:
        workflow.case_assign(case=case, by=officer, unit=sibling_org_unit)
    assert refused.value.code == "unit"

    case = workflow.case_assign(case=case, by=officer, unit=child, note="Tindak lanjuti")
    assert case.unit == child and case.status == CaseStatus.ASSIGNED
    event = case.events.get(kind=EventKind.ASSIGNED)
    assert event.is_public and event.data["unit"] == child.pk
    # The instruction is for staff: an internal note beside the public disposition.
    assert event.message == ""
    note = case.events.get(kind=EventKind.NOTE)
    assert note.message == "Tindak lanjuti" and not note.is_public


def test_an_officer_who_does_not_serve_the_unit_cannot_be_assigned(spkt, officer, other_officer):
    with pytest.raises(ApplicationError) as refused:
        workflow.case_assign(case=open_case(spkt), by=officer, officer=other_officer)
    assert refused.value.code == "officer"


def test_waiting_returns_to_the_status_it_left(spkt, officer):
    case = workflow.case_assign(case=open_case(spkt), by=officer)
    case = workflow.case_start(case=case, by=officer)
    case = workflow.case_request_information(
        case=case, by=officer, message="Mohon lampirkan bukti pembayaran."
    )
    assert case.status == CaseStatus.WAITING_CITIZEN

    case = workflow.case_information_received(case=case)

    assert case.status == CaseStatus.IN_PROGRESS
    assert case.paused_at is None and case.status_before_wait == ""


def test_edits_are_recorded_with_old_and_new_values(spkt, officer):
    case = open_case(spkt)

    case = workflow.case_edit(case=case, by=officer, changes={"priority": "urgent"})

    event = case.events.get(kind=EventKind.EDITED)
    assert event.data["changes"] == {"priority": ["normal", "urgent"]}
    assert not event.is_public and event.actor == officer


def test_internal_notes_stay_internal(spkt, officer):
    case = open_case(spkt)

    note = workflow.case_note_add(case=case, by=officer, text="Pelapor pernah melapor hal serupa.")

    assert not note.is_public and note.kind == EventKind.NOTE
