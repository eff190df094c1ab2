"""Staff on the API: notes, details, joining and separating reports, as on the case page."""

import pytest

from tanggap.cases.choices import CaseStatus, EventKind, Priority
from tanggap.cases.models import Case
from tanggap.common.tests.api_helpers import get, issue_token, post
from tanggap.intake.models import Report
from tanggap.intake.services import report_attach
from tanggap.intake.tests.factories import submit_report

pytestmark = pytest.mark.django_db


# Notes


def test_a_note_is_added_as_an_internal_event_by_the_tokens_user(client, spkt, officer):
    # given a case and an officer's token
    case = submit_report(spkt).report.case
    token = issue_token(officer, spkt)
    # when the officer adds a note through the API
    response = post(client, f"/cases/{case.pk}/notes", {"text": " Cek CCTV loket 2 "}, token=token)
    # then it is an internal note by the officer, shown in the case's timeline
    assert response.status_code == 201
    note = case.events.get(kind=EventKind.NOTE)
    assert (note.actor, note.is_public, note.message) == (officer, False, "Cek CCTV loket 2")
    timeline = get(client, f"/cases/{case.pk}", token=token).json()["timeline"]
    assert [e["message"] for e in timeline if e["kind"] == EventKind.NOTE] == ["Cek CCTV loket 2"]


def test_a_note_on_another_units_case_answers_404(client, spkt, dpmptsp, officer):
    # given a case of another organisation
    other = submit_report(dpmptsp).report.case
    # when the officer's token adds a note to it
    response = post(
        client, f"/cases/{other.pk}/notes", {"text": "x"}, token=issue_token(officer, spkt)
    )
    # then it answers 404 and no note exists
    assert response.status_code == 404
    assert not other.events.filter(kind=EventKind.NOTE).exists()


def test_a_blank_or_overlong_note_is_refused_and_nothing_is_written(client, spkt, officer):
    # given a case
    case = submit_report(spkt).report.case
    token = issue_token(officer, spkt)
    # when the note is blank, or longer than the screen's form allows
    blank = post(client, f"/cases/{case.pk}/notes", {"text": "   "}, token=token)
    long = post(client, f"/cases/{case.pk}/notes", {"text": "x" * 5001}, token=token)
    # then both are refused naming the field, and no note exists
    assert blank.status_code == long.status_code == 422
    assert blank.json()["error"]["fields"][0]["field"] == "text"
    assert long.json()["error"]["fields"][0]["field"] == "text"
    assert not case.events.filter(kind=EventKind.NOTE).exists()


def test_an_auditor_cannot_add_a_note(client, spkt, auditor):
    # given an auditor's token, who may read but not handle
    case = submit_report(spkt).report.case
    # when the auditor adds a note
    response = post(
        client, f"/cases/{case.pk}/notes", {"text": "catatan"}, token=issue_token(auditor, spkt)
    )
    # then it is forbidden and nothing is written
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert not case.events.filter(kind=EventKind.NOTE).exists()


def test_a_repeated_note_with_its_key_is_replayed_not_added_twice(client, spkt, officer):
    # given a note posted with a key
    case = submit_report(spkt).report.case
    token = issue_token(officer, spkt)
    first = post(client, f"/cases/{case.pk}/notes", {"text": "satu"}, token=token, key="note-0001")
    # when the client retries with the same key
    again = post(client, f"/cases/{case.pk}/notes", {"text": "satu"}, token=token, key="note-0001")
    # then the first answer comes back and the case has one note
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert case.events.filter(kind=EventKind.NOTE).count() == 1


# Editing details


def test_editing_changes_only_the_fields_sent_and_records_the_change(client, spkt, officer):
    # given a case and a category of its organisation
    case = submit_report(spkt).report.case
    category = spkt.organisation.categories.first()
    token = issue_token(officer, spkt)
    # when the officer raises its priority and files it under the category
    response = post(
        client,
        f"/cases/{case.pk}/edit",
        {"version": case.version, "priority": "high", "category": category.pk},
        token=token,
    )
    # then those fields changed, the title did not, and the event keeps old and new values
    assert response.status_code == 200
    body = response.json()
    assert (body["priority"], body["category"], body["title"]) == (
        "high",
        category.name,
        case.title,
    )
    assert body["version"] == case.version + 1
    event = case.events.get(kind=EventKind.EDITED)
    assert event.actor == officer
    assert set(event.data["changes"]) == {"priority", "category"}


def test_null_removes_the_category(client, spkt, officer):
    # given a case filed under a category
    category = spkt.organisation.categories.first()
    case = submit_report(spkt, category=category).report.case
    token = issue_token(officer, spkt)
    # when the officer sends a null category
    response = post(
        client, f"/cases/{case.pk}/edit", {"version": case.version, "category": None}, token=token
    )
    # then the case has no category any more
    assert response.status_code == 200
    assert Case.objects.get(pk=case.pk).category is None


def test_editing_another_units_case_answers_404(client, spkt, dpmptsp, officer):
    # given a case of another organisation
    other = submit_report(dpmptsp).report.case
    # when the officer's token edits it
    response = post(
        client,
        f"/cases/{other.pk}/edit",
        {"version": other.version, "priority": "urgent"},
        token=issue_token(officer, spkt),
    )
    # then it answers 404 and the case is unchanged
    assert response.status_code == 404
    assert Case.objects.get(pk=other.pk).priority == Priority.NORMAL


def test_editing_with_a_stale_version_is_refused_with_409(client, spkt, officer):
    # given a case changed after the client read it
    case = submit_report(spkt).report.case
    token = issue_token(officer, spkt)
    read = case.version
    post(client, f"/cases/{case.pk}/edit", {"version": read, "title": "Antrian SKCK"}, token=token)
    # when the client edits with the version it read
    response = post(
        client, f"/cases/{case.pk}/edit", {"version": read, "priority": "urgent"}, token=token
    )
    # then it is a conflict and the priority is unchanged
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert Case.objects.get(pk=case.pk).priority == Priority.NORMAL


def test_invalid_details_are_refused_field_by_field_and_change_nothing(
    client, spkt, dpmptsp, officer
):
    # given a case, and a category and a service of another organisation
    case = submit_report(spkt).report.case
    token = issue_token(officer, spkt)
    foreign_category = dpmptsp.organisation.categories.first()
    foreign_service = dpmptsp.services.first()
    # when the officer sends them, an empty title, and an unknown kind
    mixed = post(
        client,
        f"/cases/{case.pk}/edit",
        {
            "version": case.version,
            "title": "  ",
            "category": foreign_category.pk,
            "service": foreign_service.pk,
        },
        token=token,
    )
    kind = post(
        client, f"/cases/{case.pk}/edit", {"version": case.version, "kind": "gossip"}, token=token
    )
    # then each field is named, and the case is as it was
    assert mixed.status_code == kind.status_code == 422
    assert {f["field"] for f in mixed.json()["error"]["fields"]} == {
        "title",
        "category",
        "service",
    }
    assert [f["field"] for f in kind.json()["error"]["fields"]] == ["kind"]
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.version, fresh.title, fresh.category_id) == (case.version, case.title, None)


def test_a_repeated_edit_with_its_key_is_replayed(client, spkt, officer):
    # given an edit posted with a key
    case = submit_report(spkt).report.case
    token = issue_token(officer, spkt)
    body = {"version": case.version, "priority": "high"}
    first = post(client, f"/cases/{case.pk}/edit", body, token=token, key="edit-0001")
    # when it is retried with the same key (its version is stale by now)
    again = post(client, f"/cases/{case.pk}/edit", body, token=token, key="edit-0001")
    # then the first answer comes back instead of a conflict, and the case changed once
    assert (first.status_code, again.status_code) == (200, 200)
    assert again["Idempotent-Replayed"] == "true"
    assert case.events.filter(kind=EventKind.EDITED).count() == 1


# Joining and separating reports


def test_a_case_merged_into_another_by_reference_moves_its_reports(client, spkt, officer):
    # given two cases about the same queue
    first = submit_report(spkt).report.case
    duplicate = submit_report(spkt).report
    token = issue_token(officer, spkt)
    # when the duplicate's case is merged into the first by its reference
    response = post(
        client, f"/cases/{duplicate.case_id}/attach", {"into": first.reference}, token=token
    )
    # then the answer is the first case holding both reports; the emptied case is archived
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == first.pk
    assert {r["tracking_code"] for r in body["reports"]} == {
        first.reference,
        duplicate.tracking_code,
    }
    assert Case.objects.get(pk=duplicate.case_id).status == CaseStatus.ARCHIVED


def test_one_report_joins_a_case_named_by_id(client, spkt, officer):
    # given a case with two reports, and another case
    case = submit_report(spkt).report.case
    second = submit_report(spkt).report
    token = issue_token(officer, spkt)
    post(client, f"/cases/{second.case_id}/attach", {"into": case.pk}, token=token)
    target = submit_report(spkt).report.case
    # when only the second report joins the other case, named by its id
    response = post(
        client,
        f"/cases/{case.pk}/attach",
        {"into": target.pk, "report": second.pk},
        token=token,
    )
    # then that report moved and the first case keeps its own
    assert response.status_code == 200
    assert Report.objects.get(pk=second.pk).case_id == target.pk
    assert list(Case.objects.get(pk=case.pk).reports.values_list("pk", flat=True)) == [
        case.reports.get().pk
    ]


def test_attaching_across_units_answers_404_or_names_the_target(client, spkt, dpmptsp, officer):
    # given a case of the officer's unit and one of another organisation
    mine = submit_report(spkt).report.case
    other = submit_report(dpmptsp).report.case
    token = issue_token(officer, spkt)
    # when the officer attaches the other case, or attaches into it
    from_other = post(client, f"/cases/{other.pk}/attach", {"into": mine.pk}, token=token)
    into_other = post(client, f"/cases/{mine.pk}/attach", {"into": other.reference}, token=token)
    # then the first is 404, the second names the target as not found; nothing moved
    assert from_other.status_code == 404
    assert into_other.status_code == 422
    assert [f["field"] for f in into_other.json()["error"]["fields"]] == ["into"]
    assert Case.objects.get(pk=mine.pk).reports.count() == 1
    assert Case.objects.get(pk=other.pk).status == CaseStatus.RECEIVED


def test_attaching_a_report_of_another_case_is_refused(client, spkt, officer):
    # given two cases and a report of a third
    case, target = (submit_report(spkt).report.case for _ in range(2))
    stranger = submit_report(spkt).report
    token = issue_token(officer, spkt)
    # when the client names the stranger report as this case's report
    response = post(
        client,
        f"/cases/{case.pk}/attach",
        {"into": target.pk, "report": stranger.pk},
        token=token,
    )
    # then the report field is refused and the report did not move
    assert response.status_code == 422
    assert [f["field"] for f in response.json()["error"]["fields"]] == ["report"]
    assert Report.objects.get(pk=stranger.pk).case_id == stranger.case_id


def test_a_repeated_merge_with_its_key_is_replayed(client, spkt, officer):
    # given a merge posted with a key
    first = submit_report(spkt).report.case
    duplicate = submit_report(spkt).report
    token = issue_token(officer, spkt)
    path, body = f"/cases/{duplicate.case_id}/attach", {"into": first.pk}
    post(client, path, body, token=token, key="merge-0001")
    # when it is retried with the same key
    again = post(client, path, body, token=token, key="merge-0001")
    # then the first answer comes back and the report joined once
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert first.events.filter(kind=EventKind.REPORT_ATTACHED).count() == 1


def _merged(spkt, officer):
    """Return a case holding a second report joined to it, and that report."""
    case = submit_report(spkt).report.case
    second = submit_report(spkt).report
    report_attach(report=second, case=case, by=officer)
    return case, second


def test_a_separated_report_becomes_a_case_of_its_own(client, spkt, officer):
    # given a case holding a second report that is not a duplicate after all
    case, second = _merged(spkt, officer)
    token = issue_token(officer, spkt)
    # when the officer separates it
    response = post(client, f"/cases/{case.pk}/reports/{second.pk}/detach", {}, token=token)
    # then the answer is a new case holding that report only
    assert response.status_code == 201
    body = response.json()
    assert body["id"] != case.pk
    assert [r["id"] for r in body["reports"]] == [second.pk]
    assert Report.objects.get(pk=second.pk).case_id == body["id"]


def test_separating_the_first_report_or_elsewhere_is_refused(client, spkt, dpmptsp, officer):
    # given a merged case, and a case of another organisation
    case, second = _merged(spkt, officer)
    other = submit_report(dpmptsp).report
    token = issue_token(officer, spkt)
    first = case.reports.exclude(pk=second.pk).get()
    # when the officer separates the opening report, a report of another case, or one elsewhere
    opening = post(client, f"/cases/{case.pk}/reports/{first.pk}/detach", {}, token=token)
    wrong = post(client, f"/cases/{case.pk}/reports/{other.pk}/detach", {}, token=token)
    away = post(client, f"/cases/{other.case_id}/reports/{other.pk}/detach", {}, token=token)
    # then the first is refused by the rule, the others are 404; nothing moved
    assert opening.status_code == 400
    assert opening.json()["error"]["code"] == "first"
    assert wrong.status_code == away.status_code == 404
    assert case.reports.count() == 2


def test_a_repeated_separation_with_its_key_is_replayed(client, spkt, officer):
    # given a separation posted with a key
    case, second = _merged(spkt, officer)
    token = issue_token(officer, spkt)
    path = f"/cases/{case.pk}/reports/{second.pk}/detach"
    first = post(client, path, {}, token=token, key="detach-0001")
    # when it is retried with the same key
    again = post(client, path, {}, token=token, key="detach-0001")
    # then the same new case comes back, and only one was opened
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert case.events.filter(kind=EventKind.REPORT_DETACHED).count() == 1
