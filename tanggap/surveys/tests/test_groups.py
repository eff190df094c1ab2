"""The IKM per respondent group on the staff period page, with a minimum group size.

Seven counted responses (and one flagged, left out):

    5 women, PNS, aged 25-29, service PBG: three all 4, two all 3 -> NRR 18/5 = 3.6 -> 90.00 A
    2 men, SWASTA, no age, service Izin usaha: all 2             -> only the count (2 < 5)
    nobody gave an education: "not stated", all seven: 25 x 22/7 = 78.57 B
"""

import pytest
from django.urls import reverse
from django.utils import translation

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import (
    MembershipFactory,
    ServiceFactory,
    UnitFactory,
    UserFactory,
)
from tanggap.surveys.elements import ELEMENT_KEYS
from tanggap.surveys.index import compute
from tanggap.surveys.selectors import MIN_GROUP_SIZE, period_breakdown
from tanggap.surveys.services import ResponseInput, response_record
from tanggap.surveys.tests.factories import SurveyPeriodFactory, SurveyResponseFactory

pytestmark = pytest.mark.django_db


def answers(value):
    return dict.fromkeys(ELEMENT_KEYS, value)


@pytest.fixture
def period():
    unit = UnitFactory(name="DPMPTSP Kota Contoh")
    pbg, izin = ServiceFactory(unit=unit, name="PBG"), ServiceFactory(unit=unit, name="Izin usaha")
    period = SurveyPeriodFactory(unit=unit)
    women = [(4, 25), (4, 26), (4, 27), (3, 28), (3, 29)]
    for value, age in women:
        response_record(
            ResponseInput(
                period=period,
                channel="online",
                answers=answers(value),
                gender="P",
                age=age,
                occupation="PNS",
                service=pbg,
            )
        )
    for _ in range(2):
        response_record(
            ResponseInput(
                period=period,
                channel="paper",
                answers=answers(2),
                gender="L",
                occupation="SWASTA",
                service=izin,
            )
        )
    SurveyResponseFactory(period=period, flagged=True, answers=answers(1), gender="P", age=25)
    return period


def tables(period):
    with translation.override("id"):
        groups = period_breakdown(period).groups
    return {table.key: {row.label: row for row in table.rows} for table in groups}, [
        table.key for table in groups
    ]


def test_each_profile_question_gives_its_groups_with_their_size(period):
    groups, keys = tables(period)

    assert keys == ["gender", "age", "education", "occupation", "service"]
    assert {label: row.respondents for label, row in groups["gender"].items()} == {
        "Laki-laki": 2,
        "Perempuan": 5,
    }, "the flagged woman is left out"
    assert {label: row.respondents for label, row in groups["age"].items()} == {
        "20–29": 5,
        "Tidak disebutkan": 2,
    }
    assert list(groups["service"]) == ["Izin usaha", "PBG"]
    assert list(groups["gender"]) == ["Laki-laki", "Perempuan"], "in the order of the form"


def test_a_group_of_at_least_five_has_its_index_by_the_index_code(period):
    groups, _keys = tables(period)

    women = groups["gender"]["Perempuan"]
    everyone = groups["education"]["Tidak disebutkan"]
    assert str(women.result.rounded) == "90.00" and women.result.grade == "A"
    assert women.result.exact == compute([answers(4)] * 3 + [answers(3)] * 2).exact
    assert str(everyone.result.rounded) == "78.57" and everyone.result.grade == "B"
    assert groups["occupation"]["PNS"].result.exact == women.result.exact
    assert groups["service"]["PBG"].result.exact == women.result.exact


def test_a_group_below_the_minimum_shows_only_its_size(period):
    groups, _keys = tables(period)

    men = groups["gender"]["Laki-laki"]
    assert MIN_GROUP_SIZE == 5
    assert men.respondents == 2 and men.too_small and men.result is None
    assert groups["service"]["Izin usaha"].result is None


def test_the_breakdown_reads_the_responses_once(period, django_assert_num_queries):
    with django_assert_num_queries(2):  # the counted responses, and the unit's own questions
        period_breakdown(period)


def test_a_period_without_responses_has_empty_groups():
    breakdown = period_breakdown(SurveyPeriodFactory())

    assert all(table.rows == [] for table in breakdown.groups)
    assert breakdown.questions == []


def test_the_period_page_shows_the_groups_and_says_why_small_ones_have_no_index(client, period):
    user = UserFactory(username="kepala")
    MembershipFactory(user=user, unit=period.unit, role=Role.SUPERVISOR)
    client.force_login(user)
    client.cookies["django_language"] = "en"

    response = client.get(reverse("surveys_staff:period_detail", args=[period.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "IKM per respondent group" in html
    assert "90.00" in html and "78.57" in html
    assert "No index: fewer than 5 respondents" in html
    assert "could reveal how single respondents answered" in html
    assert "Izin usaha" in html and "20–29" in html
