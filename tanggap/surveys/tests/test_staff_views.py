"""Staff survey screens: scoped to the user's units; surveyors enter paper questionnaires."""

import uuid

import pytest
from django.urls import reverse

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UnitFactory, UserFactory
from tanggap.surveys.elements import ELEMENT_KEYS
from tanggap.surveys.models import SurveyResponse
from tanggap.surveys.services import ResponseInput, response_record
from tanggap.surveys.tests.factories import SurveyPeriodFactory

pytestmark = pytest.mark.django_db


def member(unit, role, name):
    user = UserFactory(username=name)
    MembershipFactory(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def period():
    period = SurveyPeriodFactory(unit=UnitFactory(name="DPMPTSP"), population=100)
    for value in (4, 3):
        response_record(
            ResponseInput(
                period=period, channel="online", answers=dict.fromkeys(ELEMENT_KEYS, value)
            )
        )
    return period


def test_a_unit_head_sees_the_ikm_and_progress(client, period):
    client.force_login(member(period.unit, Role.SUPERVISOR, "kepala"))

    listing = client.get(reverse("surveys_staff:period_list")).content.decode()
    detail = client.get(reverse("surveys_staff:period_detail", args=[period.pk]))

    assert period.name in listing and "87,50" in listing.replace(".", ",")
    assert detail.status_code == 200 and detail.context["summary"].progress.target == 80
    assert detail.context["form"] is None, "only surveyors and administrators enter paper forms"


def test_another_units_period_is_not_found(client, period):
    client.force_login(member(UnitFactory(), Role.SURVEYOR, "surveyor.lain"))

    response = client.get(reverse("surveys_staff:period_detail", args=[period.pk]))

    assert response.status_code == 404


def test_an_officer_without_survey_rights_gets_404(client, period):
    client.force_login(member(period.unit, Role.OFFICER, "petugas"))

    assert client.get(reverse("surveys_staff:period_list")).status_code == 404


def test_a_surveyor_enters_paper_questionnaires_in_a_batch(client, period):
    surveyor = member(period.unit, Role.SURVEYOR, "surveyor")
    client.force_login(surveyor)
    url = reverse("surveys_staff:period_detail", args=[period.pk])

    for _ in range(2):
        data = dict.fromkeys(ELEMENT_KEYS, "2") | {"client_key": str(uuid.uuid4())}
        response = client.post(url, data)
        assert response.status_code == 302
    page = client.get(url).content.decode()

    paper = SurveyResponse.objects.filter(channel="paper")
    assert paper.count() == 2 and {r.entered_by for r in paper} == {surveyor}
    assert "2" in page


def test_a_bad_paper_entry_is_refused_and_nothing_is_stored(client, period):
    client.force_login(member(period.unit, Role.SURVEYOR, "surveyor"))
    data = dict.fromkeys(ELEMENT_KEYS, "7") | {"client_key": str(uuid.uuid4())}

    response = client.post(reverse("surveys_staff:period_detail", args=[period.pk]), data)

    assert response.status_code == 400
    assert not SurveyResponse.objects.filter(channel="paper").exists()
