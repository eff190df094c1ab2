"""The API's report submission and tracking: what a citizen's app and an integration see."""

import json

import pytest
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext

from tanggap.cases.choices import Channel, EventKind
from tanggap.cases.models import Case
from tanggap.common.tests.api_helpers import issue_token, post
from tanggap.intake.models import Report

pytestmark = pytest.mark.django_db

REPORT = {
    "kind": "complaint",
    "title": "Antrian SKCK sangat lama",
    "description": "Sdh antri dr jam 8 pagi tp loket blm buka, petugas tdk ada di tempat.",
    "name": "Budi Santoso",
    "email": "budi@example.com",
}


def report_for(unit, **changes):
    return REPORT | {"unit": unit.pk} | changes


def test_a_citizen_submits_a_report_and_gets_code_and_pin(client, spkt):
    # given a unit that accepts reports
    # when a citizen's app posts a report without a token
    response = post(client, "/reports", report_for(spkt))
    # then the receipt carries the tracking code and the PIN, and the case is open
    assert response.status_code == 201
    body = response.json()
    report = Report.objects.get(tracking_code=body["tracking_code"])
    assert body["created"] is True
    assert len(body["pin"]) == 6
    assert body["tracking_link"].startswith("http")
    assert report.channel == Channel.API
    assert report.received_by is None
    assert report.case.events.filter(kind=EventKind.RECEIVED).exists()


def test_a_repeated_post_with_the_same_key_replays_the_first_answer(client, spkt):
    # given a report posted once with an Idempotency-Key
    first = post(client, "/reports", report_for(spkt), key="kunci-ulang-0001")
    # when the app retries with the same key and body
    again = post(client, "/reports", report_for(spkt), key="kunci-ulang-0001")
    # then it gets the first answer again, PIN included, and one report exists
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Report.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(client, spkt):
    # given a report posted with a key
    post(client, "/reports", report_for(spkt), key="kunci-sama-0002")
    # when another report is posted with the same key
    response = post(
        client, "/reports", report_for(spkt, title="Judul yang lain"), key="kunci-sama-0002"
    )
    # then it is refused and nothing more is created
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "key", "status", "code"),
    [
        (json.dumps(REPORT), None, 400, "idempotency_key"),
        ('{"unit": 1, "title": "tanpa penutup"', "new", 400, "malformed"),
        ("[1, 2, 3]", "new", 422, "invalid"),
        (json.dumps(REPORT | {"title": "x"}), "new", 422, "invalid"),
        (json.dumps(REPORT | {"unit": 999999}), "new", 422, "invalid"),
        (json.dumps(REPORT | {"description": "x" * 70_000}), "new", 413, "too_large"),
        (json.dumps(REPORT | {"kind": "gossip"}), "new", 422, "invalid"),
        (json.dumps(REPORT | {"occurred_at": "1900-01-01T00:00:00Z"}), "new", 422, "invalid"),
        (json.dumps(REPORT | {"external_ref": "CRM\u0000-1"}), "new", 422, "invalid"),
    ],
)
def test_bad_input_gets_one_error_format_and_creates_nothing(client, spkt, body, key, status, code):
    # given a unit
    body = body.replace('"unit": 1', f'"unit": {spkt.pk}') if "999999" not in body else body
    if '"unit"' not in body and body.startswith("{") and body.endswith("}"):
        body = body[:-1] + f', "unit": {spkt.pk}}}'
    # when the bad request arrives
    response = post(client, "/reports", body, key=key)
    # then the answer is the one error format, and no report or case exists
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert Report.objects.count() == 0
    assert Case.objects.count() == 0


def test_field_errors_name_the_field_in_the_clients_language(client, spkt):
    # given a report whose title is too short
    data = report_for(spkt, title="x")
    # when an English client posts it
    response = post(client, "/reports", data, **{"Accept-Language": "en"})
    # then the field is named and the message is English
    fields = response.json()["error"]["fields"]
    assert fields[0]["field"] == "title"
    assert "at least 5" in fields[0]["message"]


def test_errors_are_indonesian_by_default(client, spkt):
    # given a request without an Idempotency-Key and without Accept-Language
    response = post(client, "/reports", report_for(spkt), key=None)
    # then the message is the Indonesian translation of the English one
    with translation.override("id"):
        expected = gettext(
            "Every POST needs an Idempotency-Key header: 8 to 200 visible ASCII "
            "characters, for example a new UUID for each new request."
        )
    assert response.json()["error"]["message"] == expected


def test_a_wrong_token_is_refused_even_where_a_token_is_optional(client, spkt):
    # given a token that was never issued
    # when a report is posted with it
    response = post(client, "/reports", report_for(spkt), token="tgp_000000000000_bukan")
    # then it is refused, not treated as the public
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "unauthorized"
    assert Report.objects.count() == 0


def test_an_integration_enters_a_report_as_its_user_and_a_resend_returns_it(client, spkt, officer):
    # given a token of an officer of the unit
    token = issue_token(officer, spkt)
    data = report_for(spkt, external_ref="CRM-77")
    # when the integration posts a report, then re-sends it with a new key
    first = post(client, "/reports", data, token=token)
    again = post(client, "/reports", data, token=token)
    # then the report was entered by the token's user, and the resend returned the first
    assert first.status_code == 201
    report = Report.objects.get()
    assert report.received_by == officer
    assert report.case.events.get(kind=EventKind.RECEIVED).actor == officer
    assert again.status_code == 200
    assert again.json()["tracking_code"] == first.json()["tracking_code"]
    assert again.json()["pin"] is None


def test_a_token_cannot_enter_reports_for_another_organisations_unit(
    client, spkt, dpmptsp, officer
):
    # given a token of an SPKT officer
    token = issue_token(officer, spkt)
    # when it posts a report to the DPMPTSP
    response = post(client, "/reports", report_for(dpmptsp), token=token)
    # then the unit is not a valid choice and nothing is created
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "unit"
    assert Report.objects.count() == 0


@override_settings(REPORTS_PER_ADDRESS_PER_HOUR=2)
def test_public_submissions_share_the_forms_hourly_limit(client, spkt):
    # given two reports sent from one address
    for _ in range(2):
        assert post(client, "/reports", report_for(spkt)).status_code == 201
    # when a third arrives within the hour
    response = post(client, "/reports", report_for(spkt))
    # then it is refused with 429 and not stored
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert Report.objects.count() == 2


def test_a_citizen_tracks_a_report_by_code_and_pin(client, spkt):
    # given a report submitted through the API
    receipt = post(client, "/reports", report_for(spkt)).json()
    # when the citizen tracks it with code and PIN
    response = post(
        client, "/reports/track", {"code": receipt["tracking_code"], "pin": receipt["pin"]}
    )
    # then the status and the public timeline come back
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "received"
    assert [e["kind"] for e in body["timeline"]] == [EventKind.RECEIVED]


@override_settings(TRACKING_MAX_FAILURES_PER_CODE=3, TRACKING_MAX_FAILURES_PER_ADDRESS=50)
def test_tracking_keeps_the_lock_out_of_the_tracking_page(client, spkt):
    # given a report and three wrong PINs for its code
    receipt = post(client, "/reports", report_for(spkt)).json()
    code = receipt["tracking_code"]
    wrong = "111111" if receipt["pin"] != "111111" else "222222"
    statuses = [
        post(client, "/reports/track", {"code": code, "pin": wrong}).status_code for _ in range(3)
    ]
    # when the right PIN is tried next
    response = post(client, "/reports/track", {"code": code, "pin": receipt["pin"]})
    # then the wrong ones were refused and the code is now locked, even for the right PIN
    assert statuses == [400, 400, 400]
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "locked"
