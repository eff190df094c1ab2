"""Paper SKM questionnaires found in a suggestion box: entered against the witnessed opening."""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UnitFactory, UserFactory
from tanggap.intake.models import BoxOpening, SuggestionBox
from tanggap.surveys.elements import ELEMENT_KEYS
from tanggap.surveys.models import SurveyResponse
from tanggap.surveys.tests.factories import SurveyPeriodFactory

pytestmark = pytest.mark.django_db


def member(unit, role, name):
    user = UserFactory(username=name)
    MembershipFactory(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def period():
    return SurveyPeriodFactory(unit=UnitFactory(name="DPMPTSP"), population=100)


@pytest.fixture
def opening(period):
    box = SuggestionBox.objects.create(unit=period.unit, name="Kotak MPP", code="mpp")
    return BoxOpening.objects.create(
        box=box,
        opened_at=timezone.now(),
        opened_by=member(period.unit, Role.OFFICER, "petugas"),
        slips_found=0,
        skm_forms_found=2,
    )


def paper():
    return dict.fromkeys(ELEMENT_KEYS, "3") | {"client_key": str(uuid.uuid4())}


def test_the_opening_leads_to_the_open_period_and_its_forms_count_against_it(
    client, period, opening
):
    client.force_login(member(period.unit, Role.SURVEYOR, "surveyor"))

    start = client.get(reverse("surveys_staff:box_questionnaires", args=[opening.pk]))
    url = start["Location"]
    assert url == reverse("surveys_staff:period_detail", args=[period.pk]) + f"?kotak={opening.pk}"
    for _ in range(2):
        assert client.post(url, paper()).status_code == 302
    third = client.post(url, paper())

    assert third.status_code == 400  # only two were found in the box
    entered = SurveyResponse.objects.filter(box_opening=opening)
    assert entered.count() == 2 and {r.channel for r in entered} == {"paper"}
    assert client.get(url).context["opening"] == opening


def test_an_opening_of_another_unit_is_404(client, period, opening):
    other = UnitFactory(name="Dinas lain")
    SurveyPeriodFactory(unit=other, population=50)
    client.force_login(member(other, Role.SURVEYOR, "surveyor.lain"))

    response = client.get(reverse("surveys_staff:box_questionnaires", args=[opening.pk]))

    assert response.status_code == 404
