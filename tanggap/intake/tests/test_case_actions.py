"""The case page's action panel: each transition through its form, and every refusal."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UnitFactory, UserFactory
from tanggap.cases import workflow
from tanggap.cases.choices import CaseStatus, EventKind, RejectReason, Transition
from tanggap.intake.tests.factories import submit_report

pytestmark = pytest.mark.django_db


def fresh_case(unit):
    return submit_report(unit).report.case


def bring_to(case, status, by):
    """Walk *case* to *status* through the services."""
    steps = {
        CaseStatus.RECEIVED: [],
        CaseStatus.ASSIGNED: [lambda c: workflow.case_assign(case=c, by=by, officer=by)],
        CaseStatus.IN_PROGRESS: [
            lambda c: workflow.case_assign(case=c, by=by, officer=by),
            lambda c: workflow.case_start(case=c, by=by),
        ],
        CaseStatus.WAITING_CITIZEN: [
            lambda c: workflow.case_request_information(
                case=c, by=by, message="Mohon kirim nomor antrean Anda."
            )
        ],
        CaseStatus.RESOLVED: [
            lambda c: workflow.case_assign(case=c, by=by, officer=by),
            lambda c: workflow.case_resolve(case=c, by=by),
        ],
    }
    for step in steps[status]:
        case = step(case)
    case.refresh_from_db()
    return case


def url(case, action):
    return reverse("officer:case_action", args=[case.pk, action])


def post(client, case, action, **fields):
    data = {f"{action}-version": case.version} | {f"{action}-{k}": v for k, v in fields.items()}
    return client.post(url(case, action), data)


# (transition, status to start from, who acts, form fields, status expected, event expected)
SUCCESSES = [
    (
        Transition.VERIFY,
        CaseStatus.RECEIVED,
        "officer",
        {"complexity": "simple", "note": ""},
        CaseStatus.VERIFIED,
        EventKind.VERIFIED,
    ),
    (
        Transition.ASSIGN,
        CaseStatus.RECEIVED,
        "officer",
        {"unit": "SPKT", "officer": "officer", "note": "Mohon segera ditindaklanjuti."},
        CaseStatus.ASSIGNED,
        EventKind.ASSIGNED,
    ),
    (
        Transition.START,
        CaseStatus.ASSIGNED,
        "officer",
        {"note": ""},
        CaseStatus.IN_PROGRESS,
        EventKind.STARTED,
    ),
    (
        Transition.REQUEST_INFORMATION,
        CaseStatus.RECEIVED,
        "officer",
        {"message": "Mohon sebutkan jam kedatangan Anda."},
        CaseStatus.WAITING_CITIZEN,
        EventKind.INFORMATION_REQUESTED,
    ),
    (
        Transition.RESOLVE,
        CaseStatus.IN_PROGRESS,
        "officer",
        {"note": "Loket sudah dibuka kembali."},
        CaseStatus.RESOLVED,
        EventKind.RESOLVED,
    ),
    (
        Transition.REJECT,
        CaseStatus.RECEIVED,
        "officer",
        {
            "reason": RejectReason.NOT_WITHIN_AUTHORITY,
            "forwarded_to": "Dinas Perhubungan",
            "note": "Ini wewenang Dinas Perhubungan; laporan kami teruskan.",
        },
        CaseStatus.REJECTED,
        EventKind.REJECTED,
    ),
    (
        Transition.WITHDRAW,
        CaseStatus.WAITING_CITIZEN,
        "officer",
        {"note": ""},
        CaseStatus.WITHDRAWN,
        EventKind.WITHDRAWN,
    ),
    (
        Transition.REOPEN,
        CaseStatus.RESOLVED,
        "supervisor",
        {"reason": "Pelapor menghubungi lagi: masalah belum selesai."},
        CaseStatus.REOPENED,
        EventKind.REOPENED,
    ),
    (
        Transition.ARCHIVE,
        CaseStatus.RESOLVED,
        "supervisor",
        {"note": ""},
        CaseStatus.ARCHIVED,
        EventKind.ARCHIVED,
    ),
]


@pytest.mark.parametrize(
    ("transition", "start", "who", "fields", "expected", "event"),
    SUCCESSES,
    ids=[s[0] for s in SUCCESSES],
)
def test_each_action_changes_the_status_and_records_the_event(
    client, spkt, officer, supervisor, transition, start, who, fields, expected, event
):
    # given a case in the transition's source status
    actor = {"officer": officer, "supervisor": supervisor}[who]
    case = bring_to(fresh_case(spkt), start, officer)
    fields = {k: {"SPKT": spkt.pk, "officer": officer.pk}.get(v, v) for k, v in fields.items()}
    client.force_login(actor)

    # when the form of the action is sent
    response = post(client, case, transition, **fields)

    # then the status changed and one event by the actor records it
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert case.status == expected
    last = case.events.filter(kind=event).last()
    assert last is not None and last.actor == actor and last.origin == "127.0.0.1"


def test_the_panel_offers_only_what_the_table_and_the_role_allow(client, spkt, officer, supervisor):
    # given a received case
    case = fresh_case(spkt)
    page = reverse("officer:case_detail", args=[case.pk])

    # when an officer and a supervisor open it
    client.force_login(officer)
    as_officer = client.get(page).context["actions"]
    client.force_login(supervisor)
    as_supervisor = client.get(page).context["actions"]

    # then received allows verify, assign, ask, reject; archiving needs a supervisor
    assert [name for name, _label, _form in as_officer] == [
        Transition.VERIFY,
        Transition.ASSIGN,
        Transition.REQUEST_INFORMATION,
        Transition.REJECT,
    ]
    assert [name for name, _l, _f in as_supervisor][-1] == Transition.ARCHIVE


def test_every_form_of_the_panel_carries_the_version(client, spkt, officer):
    case = bring_to(fresh_case(spkt), CaseStatus.ASSIGNED, officer)
    client.force_login(officer)

    html = client.get(reverse("officer:case_detail", args=[case.pk])).content.decode()

    for name in (Transition.START, Transition.REQUEST_INFORMATION, Transition.RESOLVE):
        assert f'name="{name}-version" value="{case.version}"' in html


def test_an_auditor_sees_the_case_but_no_action(client, spkt, auditor):
    case = fresh_case(spkt)
    client.force_login(auditor)

    response = client.get(reverse("officer:case_detail", args=[case.pk]))

    assert response.status_code == 200 and response.context["actions"] == []


def test_an_illegal_transition_is_refused_with_the_message_and_changes_nothing(
    client, spkt, officer
):
    # given a received case (not yet disposed)
    case = fresh_case(spkt)
    events = case.events.count()
    client.force_login(officer)

    # when the officer posts "start follow-up"
    response = post(client, case, Transition.START, note="")

    # then 400, the table's message, and the case as it was
    assert response.status_code == 400
    message = response.context["failed_form"].non_field_errors()[0]
    assert "“" in message and escape(message) in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED and case.events.count() == events


def test_a_stale_form_gets_409_and_changes_nothing(client, spkt, officer):
    # given a case someone changed after the officer opened it
    case = fresh_case(spkt)
    shown = case.version
    workflow.case_edit(case=case, by=officer, changes={"priority": "high"})
    case.refresh_from_db()
    client.force_login(officer)

    # when the officer sends the form with the version shown
    response = client.post(
        url(case, Transition.VERIFY),
        {"verify-version": shown, "verify-complexity": "simple"},
    )

    # then 409 with the conflict message, and still received
    assert response.status_code == 409
    assert response.context["failed_form"].non_field_errors()
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED


def test_a_role_without_the_right_is_refused(client, spkt, officer, auditor):
    # given a resolved case
    case = bring_to(fresh_case(spkt), CaseStatus.RESOLVED, officer)

    # when an officer archives (a supervisor's act) and an auditor reopens
    client.force_login(officer)
    archive = post(client, case, Transition.ARCHIVE, note="")
    client.force_login(auditor)
    reopen = post(client, case, Transition.REOPEN, reason="Pelapor belum puas dengan hasilnya.")

    # then both are refused with the message and the case stays resolved
    assert archive.status_code == reopen.status_code == 400
    assert reopen.context["failed_form"].non_field_errors()
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED


def test_a_form_with_missing_fields_is_400(client, spkt, officer):
    case = fresh_case(spkt)
    client.force_login(officer)

    response = post(
        client,
        case,
        Transition.REJECT,
        reason=RejectReason.NOT_WITHIN_AUTHORITY,
        note="Bukan kami.",
    )

    assert response.status_code == 400
    assert "forwarded_to" in response.context["failed_form"].errors
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED


def test_an_unknown_action_is_404(client, spkt, officer):
    case = fresh_case(spkt)
    client.force_login(officer)

    assert client.post(url(case, "respond"), {}).status_code == 404


def test_disposing_to_another_units_officer_is_refused(client, spkt, officer):
    # given an officer of a sub-unit, and a case of the parent
    child = UnitFactory(organisation=spkt.organisation, parent=spkt, name="Unit Reskrim")
    case = fresh_case(spkt)
    client.force_login(officer)

    # when the case goes to the sub-unit and to an officer of another unit
    stranger = UserFactory(username="orang_lain")
    MembershipFactory(user=stranger, unit=UnitFactory(), role=Role.OFFICER)
    refused = post(client, case, Transition.ASSIGN, unit=child.pk, officer=stranger.pk, note="")
    done = post(client, case, Transition.ASSIGN, unit=child.pk, officer="", note="")

    # then a stranger is not a choice; the sub-unit alone is fine
    assert refused.status_code == 400
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.unit == child and case.status == CaseStatus.ASSIGNED


def test_details_are_edited_with_the_version(client, spkt, officer):
    case = fresh_case(spkt)
    client.force_login(officer)
    data = {
        "case-edit-version": case.version,
        "case-edit-title": "Antrian SKCK: loket tutup",
        "case-edit-kind": case.kind,
        "case-edit-priority": "urgent",
        "case-edit-complexity": case.complexity,
    }
    edit = reverse("officer:case_edit", args=[case.pk])

    saved = client.post(edit, data)
    stale = client.post(edit, data | {"case-edit-priority": "normal"})

    assert saved.status_code == 302 and stale.status_code == 409
    case.refresh_from_db()
    assert (case.title, case.priority) == ("Antrian SKCK: loket tutup", "urgent")
    assert case.events.filter(kind=EventKind.EDITED).count() == 1


def test_a_duplicate_joins_another_case_by_its_tracking_code(client, spkt, officer):
    # given two reports of the same matter
    first = submit_report(spkt).report
    second = submit_report(spkt).report
    client.force_login(officer)

    # when the second case is joined to the first by its code (typed loosely)
    response = client.post(
        reverse("officer:case_attach", args=[second.case.pk]),
        {"case-attach-target": first.tracking_code.lower(), "case-attach-report": ""},
    )

    # then the report moved and the emptied case is archived as merged
    assert response.status_code == 302
    assert response["Location"] == reverse("officer:case_detail", args=[first.case.pk])
    second.refresh_from_db()
    assert second.case_id == first.case_id
    old = type(first.case).objects.get(reference=second.tracking_code)
    assert old.status == CaseStatus.ARCHIVED


def test_joining_an_unknown_case_is_400(client, spkt, officer):
    case = fresh_case(spkt)
    client.force_login(officer)

    response = client.post(
        reverse("officer:case_attach", args=[case.pk]),
        {"case-attach-target": "TGP-0000-0000"},
    )

    assert response.status_code == 400 and "target" in response.context["failed_form"].errors


def test_a_report_is_separated_into_its_own_case(client, spkt, officer):
    # given a case holding two reports
    first = submit_report(spkt).report
    second = submit_report(spkt).report
    client.force_login(officer)
    client.post(
        reverse("officer:case_attach", args=[second.case.pk]),
        {"case-attach-target": first.case.reference},
    )
    page = client.get(reverse("officer:case_detail", args=[first.case.pk])).content.decode()
    detach = reverse("officer:report_detach", args=[first.case.pk, second.pk])
    assert detach in page
    assert reverse("officer:report_detach", args=[first.case.pk, first.pk]) not in page

    # when it is separated again
    response = client.post(detach)
    refused = client.post(reverse("officer:report_detach", args=[first.case.pk, first.pk]))

    # then it has a case of its own; the case's first report stays
    second.refresh_from_db()
    assert response.status_code == 302 and second.case_id != first.case_id
    assert refused.status_code == 400


def test_every_new_url_of_a_case_is_404_for_another_units_officer(client, spkt, other_officer):
    report = submit_report(spkt).report
    case = report.case
    client.force_login(other_officer)
    urls = [url(case, t) for t in Transition.values] + [
        reverse("officer:case_edit", args=[case.pk]),
        reverse("officer:case_attach", args=[case.pk]),
        reverse("officer:report_detach", args=[case.pk, report.pk]),
    ]

    for target in urls:
        assert client.post(target, {}).status_code == 404, target
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED


def test_the_timeline_shows_who_when_where_and_marks_internal_events(client, spkt, officer):
    # given a disposed case with an internal note
    case = fresh_case(spkt)
    client.force_login(officer)
    post(client, case, Transition.ASSIGN, unit=spkt.pk, officer=officer.pk, note="")
    workflow.case_note_add(case=case, by=officer, text="Pelapor menelepon ke SPKT.")

    # when the case page is opened
    html = client.get(reverse("officer:case_detail", args=[case.pk])).content.decode()
    timeline = html[html.index('data-testid="timeline"') :]

    # then the disposition shows its officer and address; the note is marked internal
    assert "127.0.0.1" in timeline and officer.get_full_name() in timeline
    assert "Pelapor menelepon ke SPKT." in timeline
    assert 'class="internal"' in timeline


def test_the_notification_log_lists_messages_without_recipients(client, spkt, officer):
    # given a reporter with an e-mail who was told about a disposition
    case = fresh_case(spkt)
    workflow.case_assign(case=case, by=officer, officer=officer)
    client.force_login(officer)

    # when the case page is opened
    response = client.get(reverse("officer:case_detail", args=[case.pk]))
    html = response.content.decode()

    # then the notice is listed with its subject, never the address
    notices = list(response.context["notifications"])
    assert notices and notices[0].subject in html
    assert 'data-testid="notifications"' in html and "budi@example.com" not in html


def test_the_case_page_shows_its_flags_and_due_badge(client, spkt, officer, supervisor):
    # given an open case archived without a reply (failure to serve) and an open one
    flagged = fresh_case(spkt)
    workflow.case_archive(case=flagged, by=supervisor)
    open_case = fresh_case(spkt)
    client.force_login(officer)

    # when both pages are opened
    flagged_page = client.get(reverse("officer:case_detail", args=[flagged.pk])).content.decode()
    open_page = client.get(reverse("officer:case_detail", args=[open_case.pk])).content.decode()

    # then the flag is listed and the deadline has a badge in words
    assert 'data-testid="flags"' in flagged_page
    assert 'data-due="on_time"' in open_page
