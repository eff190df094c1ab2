"""The public questionnaire and the kiosk endpoint: by key, validated, stored once."""

import json
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tanggap.accounts.tests.factories import CounterFactory, ServiceFactory, UnitFactory
from tanggap.surveys.elements import ELEMENT_KEYS
from tanggap.surveys.models import SurveyResponse
from tanggap.surveys.tests.factories import SurveyPeriodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def counter():
    unit = UnitFactory(name="DPMPTSP Kota Contoh")
    ServiceFactory(unit=unit, name="PBG")
    SurveyPeriodFactory(unit=unit)
    return CounterFactory(unit=unit, code="loket-disabilitas", serves_disability=True)


def form_answers(**overrides):
    data = dict.fromkeys(ELEMENT_KEYS, "3") | {"client_key": str(uuid.uuid4())}
    return data | overrides


def test_a_citizen_answers_on_the_phone(client, counter):
    url = reverse("surveys:counter", args=[counter.code])

    page = client.get(url)
    response = client.post(url, form_answers(waktu="1", comment="Antrian lama"))

    assert page.status_code == 200 and "Pertanyaan 1 dari 9" in page.content.decode()
    assert response.status_code == 302
    stored = SurveyResponse.objects.get()
    assert stored.answers["waktu"] == 1 and stored.answers["sarana"] == 3
    assert (stored.channel, stored.counter, stored.comment) == ("online", counter, "Antrian lama")


def test_a_missing_answer_is_asked_for_and_nothing_is_stored(client, counter):
    url = reverse("surveys:counter", args=[counter.code])
    data = form_answers()
    del data["biaya"]

    response = client.post(url, data)

    assert response.status_code == 400 and "biaya" in response.context["form"].errors
    assert not SurveyResponse.objects.exists()


def test_an_answer_outside_one_to_four_is_refused(client, counter):
    response = client.post(reverse("surveys:counter", args=[counter.code]), form_answers(waktu="5"))

    assert response.status_code == 400 and not SurveyResponse.objects.exists()


def test_the_same_form_sent_twice_is_one_response(client, counter):
    url, data = reverse("surveys:counter", args=[counter.code]), form_answers()

    client.post(url, data)
    client.post(url, data)

    assert SurveyResponse.objects.count() == 1


def test_no_open_period_says_so(client):
    unit = UnitFactory()

    response = client.get(reverse("surveys:unit", args=[unit.slug]))

    assert response.status_code == 404 and unit.name in response.content.decode()


def post_json(client, counter, body):
    return client.post(
        reverse("surveys:kiosk_submit", args=[counter.code]),
        data=json.dumps(body),
        content_type="application/json",
    )


def test_the_kiosk_queue_endpoint_stores_a_resend_once(client, counter):
    body = {"client_key": str(uuid.uuid4()), "answers": dict.fromkeys(ELEMENT_KEYS, 4)}

    first, again = post_json(client, counter, body), post_json(client, counter, body)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert SurveyResponse.objects.get().channel == "kiosk"


@pytest.mark.parametrize(
    "body",
    [
        {"answers": {"waktu": 3}},
        {"client_key": "not-a-uuid", "answers": {"waktu": 3}},
        {"client_key": str(uuid.uuid4()), "answers": {"waktu": 9}},
        {"client_key": str(uuid.uuid4()), "answers": {"kecepatan": 3}},
        {"client_key": str(uuid.uuid4()), "answers": {}},
    ],
)
def test_the_kiosk_queue_endpoint_refuses_bad_bodies(client, counter, body):
    response = post_json(client, counter, body)

    assert response.status_code == 400 and "error" in response.json()
    assert not SurveyResponse.objects.exists()


def test_the_kiosk_queue_endpoint_refuses_junk(client, counter):
    response = client.post(
        reverse("surveys:kiosk_submit", args=[counter.code]),
        data=b"\x00\xff not json",
        content_type="application/json",
    )

    assert response.status_code == 400


def test_the_kiosk_keeps_the_profile_and_refuses_a_bad_one(client, counter):
    answers = dict.fromkeys(ELEMENT_KEYS, 3)
    good = {
        "client_key": str(uuid.uuid4()),
        "answers": answers,
        "gender": "P",
        "age": "34",
        "education": "SMA",
        "occupation": "WIRAUSAHA",
        "comment": "AC mati",
    }
    bad = {"client_key": str(uuid.uuid4()), "answers": answers, "gender": "X", "age": "300"}

    stored = post_json(client, counter, good)
    refused = post_json(client, counter, bad)

    assert (stored.status_code, refused.status_code) == (201, 400)
    response = SurveyResponse.objects.get()
    assert (response.gender, response.age, response.education, response.comment) == (
        "P",
        34,
        "SMA",
        "AC mati",
    )


def test_answers_queued_before_the_period_closed_are_accepted_within_a_week(client):
    today = timezone.localdate()
    unit = UnitFactory()
    SurveyPeriodFactory(
        unit=unit, starts_on=today - timedelta(days=30), ends_on=today - timedelta(days=2)
    )
    counter = CounterFactory(unit=unit)
    answers = dict.fromkeys(ELEMENT_KEYS, 4)
    queued = (timezone.now() - timedelta(days=3)).isoformat()
    too_old = (timezone.now() - timedelta(days=40)).isoformat()

    late = post_json(
        client, counter, {"client_key": str(uuid.uuid4()), "answers": answers, "queued_at": queued}
    )
    fresh = post_json(client, counter, {"client_key": str(uuid.uuid4()), "answers": answers})
    forged = post_json(
        client, counter, {"client_key": str(uuid.uuid4()), "answers": answers, "queued_at": too_old}
    )

    assert (late.status_code, fresh.status_code, forged.status_code) == (201, 409, 409)
    assert SurveyResponse.objects.count() == 1


def test_no_service_question_when_the_unit_offers_none(client):
    unit = UnitFactory()
    SurveyPeriodFactory(unit=unit)

    page = client.get(reverse("surveys:unit", args=[unit.slug]))

    assert "service" not in page.context["form"].fields
