"""SKM responses through the API: stored once, only in an open period, answers checked."""

import uuid

import pytest

from tanggap.accounts.tests.factories import CounterFactory
from tanggap.common.tests.api_helpers import post
from tanggap.surveys.choices import ResponseChannel
from tanggap.surveys.models import SurveyResponse
from tanggap.surveys.tests.factories import ALL_FOUR, SurveyPeriodFactory

pytestmark = pytest.mark.django_db


def test_a_citizen_answers_the_survey_of_a_unit(client, spkt):
    # given an open survey period of the unit
    period = SurveyPeriodFactory(unit=spkt)
    # when an app sends the nine answers with a profile
    response = post(
        client,
        "/surveys/responses",
        {"unit": spkt.pk, "answers": ALL_FOUR, "gender": "P", "age": 34, "comment": "Cepat."},
    )
    # then one response is stored for the period, from the online channel
    assert response.status_code == 201
    stored = SurveyResponse.objects.get()
    assert response.json()["id"] == stored.pk
    assert stored.period == period
    assert stored.channel == ResponseChannel.ONLINE
    assert stored.answers == ALL_FOUR
    assert (stored.gender, stored.age) == ("P", 34)


def test_a_resent_response_with_its_client_key_is_stored_once(client, spkt):
    # given a response sent with a client key
    SurveyPeriodFactory(unit=spkt)
    data = {"unit": spkt.pk, "answers": ALL_FOUR, "client_key": str(uuid.uuid4())}
    first = post(client, "/surveys/responses", data)
    # when the same response is sent again under a new Idempotency-Key
    again = post(client, "/surveys/responses", data)
    # then the first is returned and nothing more is stored
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert SurveyResponse.objects.count() == 1


def test_a_counters_code_names_the_unit_and_the_counter(client, spkt):
    # given a counter of the unit and an open period
    SurveyPeriodFactory(unit=spkt)
    counter = CounterFactory(unit=spkt)
    # when a partner kiosk sends a response with the counter's code
    response = post(client, "/surveys/responses", {"counter": counter.code, "answers": ALL_FOUR})
    # then it is stored for the counter
    assert response.status_code == 201
    assert SurveyResponse.objects.get().counter == counter


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        ({"answers": ALL_FOUR | {"waktu": 5}}, 422, "answer"),
        ({"answers": {"rasa": 3}}, 422, "answer"),
        ({"answers": {}}, 400, "empty"),
        ({"answers": ALL_FOUR, "age": 3}, 422, "invalid"),
        ({"answers": ALL_FOUR, "unit": None}, 422, "invalid"),
        ({"answers": ALL_FOUR, "counter": "tidak-ada"}, 404, "not_found"),
    ],
)
def test_bad_responses_are_refused_and_nothing_is_stored(client, spkt, data, status, code):
    # given an open period
    SurveyPeriodFactory(unit=spkt)
    # when a bad response is sent
    response = post(client, "/surveys/responses", {"unit": spkt.pk} | data)
    # then it is refused in the error format, and nothing is stored
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code
    assert not SurveyResponse.objects.exists()


def test_a_unit_without_an_open_period_answers_409(client, spkt):
    # when a response arrives for a unit with no open period
    response = post(client, "/surveys/responses", {"unit": spkt.pk, "answers": ALL_FOUR})
    # then it is refused as closed
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "closed"
    assert not SurveyResponse.objects.exists()


def test_a_service_of_another_unit_than_the_one_named_is_refused(client, spkt, dpmptsp):
    # given an open period of the SPKT
    SurveyPeriodFactory(unit=spkt)
    # when a response names the SPKT but a service of the DPMPTSP
    service = dpmptsp.services.first()
    data = {"unit": spkt.pk, "service": service.pk, "answers": ALL_FOUR}
    response = post(client, "/surveys/responses", data)
    # then it is refused
    assert response.status_code == 422
    assert not SurveyResponse.objects.exists()
