"""Staff on the API: listing, reading and acting on cases of the token's units only."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tanggap.accounts.api_tokens import api_token_revoke
from tanggap.accounts.models import ApiToken
from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UnitFactory, UserFactory
from tanggap.cases.choices import CaseStatus, EventKind
from tanggap.cases.models import Case
from tanggap.common.tests.api_helpers import get, issue_token, post
from tanggap.intake.tests.factories import submit_report

pytestmark = pytest.mark.django_db


def verify(client, token, case, *, version=None):
    return post(
        client,
        f"/cases/{case.pk}/actions/verify",
        {"version": case.version if version is None else version, "complexity": "simple"},
        token=token,
    )


def test_an_officer_lists_only_the_cases_of_the_tokens_units(client, spkt, dpmptsp, officer):
    # given a case in the officer's unit and one in another organisation's unit
    mine = submit_report(spkt).report.case
    submit_report(dpmptsp)
    token = issue_token(officer, spkt)
    # when the officer lists cases through the API
    response = get(client, "/cases", token=token)
    # then only the own unit's case is there
    assert response.status_code == 200
    assert [c["id"] for c in response.json()["items"]] == [mine.pk]


def test_a_case_of_another_unit_answers_404_to_read_and_to_act(client, spkt, dpmptsp, officer):
    # given a case of another organisation
    other = submit_report(dpmptsp).report.case
    token = issue_token(officer, spkt)
    # when the officer's token reads it or acts on it
    read = get(client, f"/cases/{other.pk}", token=token)
    act = verify(client, token, other)
    # then both answer 404 in the error format, and the case is untouched
    assert read.status_code == act.status_code == 404
    assert read.json()["error"]["code"] == "not_found"
    other.refresh_from_db()
    assert other.status == CaseStatus.RECEIVED


def test_a_token_on_a_sub_unit_does_not_reach_the_rest_of_the_users_units(client, spkt):
    # given a supervisor of the whole unit and a token for one of its sub-units only
    post_unit = UnitFactory(organisation=spkt.organisation, parent=spkt, name="Pos Jaga")
    user = UserFactory(username="kepala_pos")
    MembershipFactory(user=user, unit=spkt, role=Role.SUPERVISOR)
    inside = submit_report(post_unit).report.case
    outside = submit_report(spkt).report.case
    token = issue_token(user, post_unit)
    # when the token lists and reads cases
    listed = get(client, "/cases", token=token).json()["items"]
    # then it sees the sub-unit's case only; the parent unit's case is 404
    assert [c["id"] for c in listed] == [inside.pk]
    assert get(client, f"/cases/{outside.pk}", token=token).status_code == 404
    assert get(client, f"/cases/{inside.pk}", token=token).status_code == 200


def test_reading_a_case_shows_reports_timeline_and_possible_acts_but_no_identity(
    client, spkt, officer
):
    # given an identified report
    case = submit_report(spkt, name="Budi Santoso").report.case
    token = issue_token(officer, spkt)
    # when the officer reads the case
    response = get(client, f"/cases/{case.pk}", token=token)
    # then reports, events and acts are there, the reporter's name is not
    body = response.json()
    assert body["reports"][0]["title"] == "Antrian SKCK sangat lama"
    assert body["timeline"][0]["kind"] == EventKind.RECEIVED
    assert "verify" in body["actions"]
    assert "Budi" not in response.content.decode()


def test_an_act_goes_through_the_service_with_the_tokens_user_as_actor(client, spkt, officer):
    # given a received case
    case = submit_report(spkt).report.case
    token = issue_token(officer, spkt)
    # when the officer verifies it through the API
    response = verify(client, token, case)
    # then the case is verified, and the event names the officer
    assert response.status_code == 200
    assert response.json()["status"] == CaseStatus.VERIFIED
    event = case.events.get(kind=EventKind.VERIFIED)
    assert event.actor == officer


def test_a_stale_version_is_refused_with_409_and_changes_nothing(client, spkt, officer):
    # given a case verified by someone else after the client read it
    case = submit_report(spkt).report.case
    token = issue_token(officer, spkt)
    read_version = case.version
    verify(client, token, case)
    case.refresh_from_db()
    # when the client sends a start with the version it read
    response = post(
        client,
        f"/cases/{case.pk}/actions/assign",
        {"version": read_version, "unit": spkt.pk},
        token=token,
    )
    # then it is refused as a conflict, and the case stays verified
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    case.refresh_from_db()
    assert case.status == CaseStatus.VERIFIED


def test_an_act_missing_its_required_field_is_refused_field_by_field(client, spkt, officer):
    # given a received case
    case = submit_report(spkt).report.case
    token = issue_token(officer, spkt)
    # when the officer rejects it without the explanation to the reporter
    response = post(
        client,
        f"/cases/{case.pk}/actions/reject",
        {"version": case.version, "reason": "spam"},
        token=token,
    )
    # then the note is named as missing and nothing changed
    assert response.status_code == 422
    assert [f["field"] for f in response.json()["error"]["fields"]] == ["note"]
    assert Case.objects.get(pk=case.pk).status == CaseStatus.RECEIVED


def test_an_auditor_token_reads_but_cannot_act(client, spkt, auditor):
    # given an auditor's token and a case
    case = submit_report(spkt).report.case
    token = issue_token(auditor, spkt)
    # when the auditor tries to verify it
    response = verify(client, token, case)
    # then the act is refused and the case is unchanged
    assert get(client, f"/cases/{case.pk}", token=token).json()["actions"] == []
    assert response.status_code == 409
    assert Case.objects.get(pk=case.pk).status == CaseStatus.RECEIVED


def test_pages_of_a_token_on_several_units_cover_every_case_once(client, spkt):
    # given a user on two sibling units with three cases each, and a token on both
    first = UnitFactory(organisation=spkt.organisation, parent=spkt, name="Pos A")
    second = UnitFactory(organisation=spkt.organisation, parent=spkt, name="Pos B")
    user = UserFactory(username="dua_pos")
    for unit in (first, second):
        MembershipFactory(user=user, unit=unit, role=Role.OFFICER)
    expected = set()
    for unit in (first, second, first, second, first, second):
        expected.add(submit_report(unit).report.case_id)
    token = issue_token(user, first, second)
    # when it reads the newest cases two at a time
    seen, cursor, pages = [], None, 0
    while True:
        params = {"sort": "newest", "limit": 2} | ({"cursor": cursor} if cursor else {})
        body = get(client, "/cases", token=token, **params).json()
        seen += [c["id"] for c in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if not cursor:
            break
    # then every case came exactly once, newest first, in three pages
    assert sorted(seen) == sorted(expected)
    assert seen == sorted(seen, reverse=True)
    assert pages == 3


def test_a_filter_outside_the_tokens_units_is_refused(client, spkt, dpmptsp, officer):
    # given an officer's token
    token = issue_token(officer, spkt)
    # when it filters by a unit of another organisation or by an unknown status
    by_unit = get(client, "/cases", token=token, unit=dpmptsp.pk)
    by_status = get(client, "/cases", token=token, status="lost")
    bad_cursor = get(client, "/cases", token=token, cursor="bm90LWEtY3Vyc29y")
    # then each is refused with a clear error
    assert by_unit.status_code == by_status.status_code == 422
    assert bad_cursor.status_code == 400
    assert bad_cursor.json()["error"]["code"] == "cursor"


def test_the_list_costs_a_fixed_number_of_queries(
    client, spkt, officer, django_assert_max_num_queries
):
    # given ten cases
    for _ in range(10):
        submit_report(spkt)
    token = issue_token(officer, spkt)
    get(client, "/cases", token=token)
    # when the list is read again, then its queries do not grow with the cases
    with django_assert_max_num_queries(14):
        response = get(client, "/cases", token=token)
    assert len(response.json()["items"]) == 10


def test_revoked_expired_and_missing_tokens_are_refused(client, spkt, officer):
    # given a revoked token, an expired token and no token
    revoked = issue_token(officer, spkt)
    api_token_revoke(token=ApiToken.objects.get(prefix=revoked.split("_")[1]))
    expiring = issue_token(officer, spkt, days=1)
    # when each is used after a day and a bit
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        answers = [
            get(client, "/cases", token=revoked),
            get(client, "/cases", token=expiring),
            get(client, "/cases"),
        ]
    # then every one is a 401 in the error format
    assert [a.status_code for a in answers] == [401, 401, 401]
    assert {a.json()["error"]["code"] for a in answers} == {"unauthorized"}
