"""Replies through the API: the reply screens' services, rules and approval."""

import pytest

from tanggap.cases.choices import CaseStatus, EventKind
from tanggap.common.tests.api_helpers import get, issue_token, post
from tanggap.responses.choices import ReplyStatus
from tanggap.responses.models import Reply
from tanggap.responses.tests.factories import ReplySettingsFactory, report_in_progress

pytestmark = pytest.mark.django_db

ANSWER = "Petugas SPKT sudah ditambah pada jam sibuk mulai Senin; terima kasih atas laporannya."


def test_an_officer_publishes_a_final_reply_as_themself(client, spkt, officer):
    # given a case in progress and the officer's token
    case = report_in_progress(spkt, officer).case
    token = issue_token(officer, spkt)
    # when the officer sends a final reply and submits it at once
    response = post(
        client, f"/cases/{case.pk}/replies", {"body": ANSWER, "submit": True}, token=token
    )
    # then the reply is published, the case responded, and the event names the officer
    assert response.status_code == 201
    assert response.json()["status"] == ReplyStatus.PUBLISHED
    case.refresh_from_db()
    assert case.status == CaseStatus.RESPONDED
    assert case.events.filter(kind=EventKind.RESPONDED, actor=officer).exists()
    listed = get(client, f"/cases/{case.pk}/replies", token=token).json()
    assert [r["body"] for r in listed] == [ANSWER]


def test_a_draft_stays_a_draft(client, spkt, officer):
    # given a case in progress
    case = report_in_progress(spkt, officer).case
    # when a reply is written without submitting it
    response = post(
        client,
        f"/cases/{case.pk}/replies",
        {"body": ANSWER, "kind": "interim"},
        token=issue_token(officer, spkt),
    )
    # then it is an unpublished interim draft
    assert response.json()["status"] == ReplyStatus.DRAFT
    assert response.json()["is_final"] is False
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS


def test_a_too_short_reply_is_refused_and_nothing_is_saved(client, spkt, officer):
    # given a case in progress
    case = report_in_progress(spkt, officer).case
    # when a reply of three letters is sent
    response = post(
        client, f"/cases/{case.pk}/replies", {"body": "oke"}, token=issue_token(officer, spkt)
    )
    # then the body is named as the problem, and no reply exists
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "body"
    assert not Reply.objects.exists()


def test_another_units_case_cannot_be_replied_to(client, spkt, dpmptsp, officer, other_officer):
    # given a case of the DPMPTSP
    case = report_in_progress(dpmptsp, other_officer).case
    # when the SPKT officer's token replies to it, reads or approves its replies
    token = issue_token(officer, spkt)
    written = post(client, f"/cases/{case.pk}/replies", {"body": ANSWER}, token=token)
    read = get(client, f"/cases/{case.pk}/replies", token=token)
    approve = post(client, f"/cases/{case.pk}/replies/1/approve", {}, token=token)
    # then each is 404, and nothing was saved
    assert written.status_code == read.status_code == approve.status_code == 404
    assert not Reply.objects.exists()


def test_where_approval_is_required_a_supervisor_approves_not_the_author(
    client, spkt, officer, supervisor
):
    # given a unit whose replies need approval, and a reply the officer submitted
    ReplySettingsFactory(unit=spkt, requires_approval=True)
    case = report_in_progress(spkt, officer).case
    officer_token = issue_token(officer, spkt)
    reply = post(
        client, f"/cases/{case.pk}/replies", {"body": ANSWER, "submit": True}, token=officer_token
    ).json()
    approve = f"/cases/{case.pk}/replies/{reply['id']}/approve"
    # when the officer tries to approve it, then the supervisor does
    by_author = post(client, approve, {}, token=officer_token)
    by_supervisor = post(client, approve, {}, token=issue_token(supervisor, spkt))
    # then the author is refused, and the supervisor's approval publishes it
    assert reply["status"] == ReplyStatus.PENDING_APPROVAL
    assert by_author.status_code == 403
    assert by_supervisor.status_code == 200
    assert by_supervisor.json()["status"] == ReplyStatus.PUBLISHED
