"""The public results page: the latest IKM, each element, the trend and the follow-up plan."""

from datetime import date

import pytest
from django.urls import reverse

from tanggap.accounts.tests.factories import UnitFactory
from tanggap.surveys.elements import ELEMENT_KEYS
from tanggap.surveys.models import FollowUpItem, SurveyResponse
from tanggap.surveys.tests.factories import SurveyPeriodFactory

pytestmark = pytest.mark.django_db


def add_responses(period, value, n=2, **answers):
    for _ in range(n):
        SurveyResponse.objects.create(
            period=period,
            unit=period.unit,
            channel="online",
            answers=dict.fromkeys(ELEMENT_KEYS, value) | answers,
        )


def test_the_latest_period_its_elements_trend_and_plan_are_public(client):
    unit = UnitFactory(slug="dpmptsp")
    earlier = SurveyPeriodFactory(
        unit=unit, name="Semester I 2026", starts_on=date(2026, 1, 1), ends_on=date(2026, 6, 30)
    )
    latest = SurveyPeriodFactory(unit=unit, name="Semester II 2026")
    add_responses(earlier, 3)
    add_responses(latest, 4, waktu=2)
    SurveyResponse.objects.create(
        period=latest,
        unit=unit,
        channel="online",
        is_flagged=True,
        answers=dict.fromkeys(ELEMENT_KEYS, 1),
    )
    FollowUpItem.objects.create(
        period=latest,
        element="waktu",
        programme="Tambah loket PBG",
        due=date(2026, 12, 31),
        responsible="Kabid Pelayanan",
    )

    response = client.get(reverse("surveys:results", args=["dpmptsp"]))

    html = response.content.decode()
    results = response.context["results"]
    # NRR waktu 2, the other eight 4: IKM = 25 * 34 / 9 = 94.44; the flagged response is left out.
    assert str(results.latest.result.rounded) == "94.44" and results.latest.result.grade == "A"
    assert [s.period.name for s, _ in results.history] == ["Semester II 2026", "Semester I 2026"]
    assert "Tambah loket PBG" in html and "Waktu Penyelesaian" in html


def test_no_results_yet_is_said_plainly(client):
    unit = UnitFactory(slug="kosong")
    SurveyPeriodFactory(unit=unit)

    response = client.get(reverse("surveys:results", args=["kosong"]))

    assert response.status_code == 404 and response.context["results"] is None
