"""Idempotency-Key on every POST: stored answers, refusals, running requests and expiry."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tanggap.common.idempotency import idempotency_claim, idempotency_purge
from tanggap.common.models import IdempotencyRecord
from tanggap.common.tests.api_helpers import issue_token, post
from tanggap.intake.models import Report

pytestmark = pytest.mark.django_db

REPORT = {
    "title": "Lampu jalan mati",
    "description": "Lampu PJU di depan kantor sdh mati 2 minggu, jalan gelap sekali malam hari.",
    "anonymous": True,
}


def test_the_stored_answer_is_encrypted_and_holds_no_readable_pin(client, spkt):
    # given a report posted with a key
    response = post(client, "/reports", REPORT | {"unit": spkt.pk}, key="kunci-rahasia-01")
    # when the stored record is read from the database
    record = IdempotencyRecord.objects.get(key="kunci-rahasia-01")
    # then it keeps the status, but the PIN is not in the stored text
    assert record.status_code == 201
    assert response.json()["pin"] not in record.body_enc


def test_a_refused_request_frees_its_key_for_the_corrected_retry(client, spkt):
    # given a post refused for a missing field
    first = post(client, "/reports", REPORT, key="kunci-perbaiki-01")
    # when the client corrects it and retries with the same key
    again = post(client, "/reports", REPORT | {"unit": spkt.pk}, key="kunci-perbaiki-01")
    # then the corrected request runs
    assert first.status_code == 422
    assert again.status_code == 201
    assert Report.objects.count() == 1


def test_a_request_still_running_under_the_key_gets_409(client, spkt):
    # given another process that claimed the key a moment ago and has not finished
    body = REPORT | {"unit": spkt.pk}
    post(client, "/reports", body, key="kunci-pertama-01")
    record = IdempotencyRecord.objects.get(key="kunci-pertama-01")
    IdempotencyRecord.objects.filter(pk=record.pk).update(status_code=None)
    # when the same request arrives
    response = post(client, "/reports", body, key="kunci-pertama-01")
    # then it is asked to retry later, and nothing more is created
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_in_progress"
    assert Report.objects.count() == 1


def test_keys_belong_to_their_caller(client, spkt, officer):
    # given a public report posted with a key
    body = REPORT | {"unit": spkt.pk}
    post(client, "/reports", body, key="kunci-bersama-01")
    # when a token posts a report with the same key
    response = post(
        client, "/reports", body, key="kunci-bersama-01", token=issue_token(officer, spkt)
    )
    # then it is its own request, not a replay of the public one
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Report.objects.count() == 2


def test_a_key_is_forgotten_after_a_day_but_the_report_stays_single(client, spkt):
    # given a report posted with a key
    body = REPORT | {"unit": spkt.pk}
    first = post(client, "/reports", body, key="kunci-kemarin-01")
    # when the same post arrives 25 hours later
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        again = post(client, "/reports", body, key="kunci-kemarin-01")
    # then the request runs again, and the service still finds the first report (no PIN again)
    assert again.status_code == 200
    assert again.json()["tracking_code"] == first.json()["tracking_code"]
    assert again.json()["pin"] is None
    assert Report.objects.count() == 1


def test_purge_removes_only_expired_records(db):
    # given a record of two days ago and one of now
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=2)):
        idempotency_claim(scope="s", key="lama-0001", fingerprint="f")
    idempotency_claim(scope="s", key="baru-0001", fingerprint="f")
    # when the purge runs
    deleted = idempotency_purge()
    # then only the old one is gone
    assert deleted == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["baru-0001"]
