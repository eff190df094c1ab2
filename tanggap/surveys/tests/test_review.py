"""The review of flagged responses: a surveyor keeps (counts) or excludes each one.

The IKM counts unflagged responses and flagged ones kept on review. Three responses by hand:

    all 4 (unflagged), all 2 (flagged), all 1 (flagged)
    nothing reviewed:           IKM = 25 x 4           = 100.00
    the all-2 one kept:         IKM = 25 x (4 + 2) / 2 =  75.00
    and the all-1 one excluded: still                     75.00
"""

from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UnitFactory, UserFactory
from tanggap.common.exceptions import ApplicationError
from tanggap.surveys import report
from tanggap.surveys.elements import ELEMENT_KEYS
from tanggap.surveys.selectors import (
    flagged_responses,
    period_summaries,
    period_summary,
    unit_public_results,
)
from tanggap.surveys.services import ResponseInput, response_record, response_review
from tanggap.surveys.tests.factories import SurveyPeriodFactory, SurveyResponseFactory

pytestmark = pytest.mark.django_db


def member(unit, role, name):
    user = UserFactory(username=name)
    MembershipFactory(user=user, unit=unit, role=role)
    return user


def record(period, value, source):
    response, _ = response_record(
        ResponseInput(
            period=period,
            channel="online",
            answers=dict.fromkeys(ELEMENT_KEYS, value),
            source=source,
        )
    )
    return response


def flag(period, value):
    """Return a response of *period* flagged on arrival, all its answers *value*."""
    return SurveyResponseFactory(
        period=period, flagged=True, answers=dict.fromkeys(ELEMENT_KEYS, value)
    )


@pytest.fixture
def unit():
    return UnitFactory(name="DPMPTSP Kota Contoh", slug="dpmptsp")


@pytest.fixture
def period(unit):
    period = SurveyPeriodFactory(unit=unit, name="Semester II 2026")
    record(period, 4, "clean")
    return period


@pytest.fixture
def surveyor(unit):
    return member(unit, Role.SURVEYOR, "surveyor")


def test_a_flagged_response_awaits_review_and_is_left_out(period):
    # given a response flagged on arrival by the service (the same answers twice from one source)
    record(period, 2, "203.0.113.7")
    flagged = record(period, 2, "203.0.113.7")

    # when the period is summarised
    summary = period_summary(period)

    # then it waits for review and the index counts the two others: 25 x (4 + 2) / 2
    assert flagged.is_flagged and flagged.review_status == "pending"
    assert (summary.flagged, summary.pending) == (1, 1)
    assert str(summary.result.rounded) == "75.00" and summary.result.respondents == 2


@time_machine.travel("2026-11-20 09:30 +07:00", tick=False)
def test_keeping_counts_it_and_excluding_leaves_it_out(period, surveyor):
    # given two flagged responses
    kept, excluded = flag(period, 2), flag(period, 1)

    # when the surveyor keeps one and excludes the other
    response_review(user=surveyor, response=kept, decision="kept")
    response_review(user=surveyor, response=excluded, decision="excluded")

    # then the kept one counts, the excluded one does not, and who and when are recorded
    summary = period_summary(period)
    assert str(summary.result.rounded) == "75.00" and summary.result.respondents == 2
    assert (summary.flagged, summary.pending) == (1, 0)
    kept.refresh_from_db()
    assert (kept.review_status, kept.reviewed_by, kept.counts_in_index) == ("kept", surveyor, True)
    assert kept.reviewed_at == timezone.now()


def test_a_decision_can_be_changed(period, surveyor):
    flagged = flag(period, 2)
    response_review(user=surveyor, response=flagged, decision="kept")

    response_review(user=surveyor, response=flagged, decision="excluded")

    assert str(period_summary(period).result.rounded) == "100.00"


def test_the_rule_holds_on_every_path_that_counts(period, surveyor, unit):
    # given one flagged response kept, one excluded and one awaiting review
    response_review(user=surveyor, response=flag(period, 2), decision="kept")
    response_review(user=surveyor, response=flag(period, 1), decision="excluded")
    flag(period, 3)

    # when the index is read by the list, the report and the public page
    listed = period_summaries([period])[0]
    data = report.period_report_data(period)
    public = unit_public_results(unit)

    # then every path counts the unflagged and the kept one: 25 x (4 + 2) / 2
    assert str(listed.result.rounded) == "75.00" and (listed.flagged, listed.pending) == (2, 1)
    assert str(data["ikm"]) == "75.00" and data["respondents"] == 2
    assert (data["flagged_pending"], data["flagged_excluded"], data["flagged_kept"]) == (1, 1, 1)
    assert str(public.latest.result.rounded) == "75.00"


def test_the_list_keeps_one_grouped_query_with_reviews(
    surveyor, unit, django_assert_max_num_queries
):
    # given three periods, one with a kept and one with an excluded flagged response
    periods = [
        SurveyPeriodFactory(unit=unit, starts_on=date(2026, 1, n), ends_on=date(2026, 12, 31))
        for n in (1, 2, 3)
    ]
    for n, period in enumerate(periods):
        record(period, 4, f"clean-{n}")
    response_review(user=surveyor, response=flag(periods[0], 2), decision="kept")
    response_review(user=surveyor, response=flag(periods[1], 1), decision="excluded")

    # when the summaries of all are read
    with django_assert_max_num_queries(3):
        summaries = period_summaries(periods)

    # then the same as one by one
    assert [s.result.exact for s in summaries] == [period_summary(p).result.exact for p in periods]
    assert [str(s.result.rounded) for s in summaries] == ["75.00", "100.00", "100.00"]


@pytest.mark.parametrize("decision", ["pending", "", "hapus"])
def test_only_keep_or_exclude_is_a_decision(period, surveyor, decision):
    flagged = flag(period, 2)

    with pytest.raises(ApplicationError) as refused:
        response_review(user=surveyor, response=flagged, decision=decision)

    assert refused.value.code == "decision"


def test_an_unflagged_response_is_not_reviewed(period, surveyor):
    clean = period.responses.get()

    with pytest.raises(ApplicationError) as refused:
        response_review(user=surveyor, response=clean, decision="excluded")

    assert refused.value.code == "not_flagged"
    clean.refresh_from_db()
    assert clean.review_status == "" and clean.counts_in_index


def test_a_unit_head_without_survey_rights_cannot_review(period, unit):
    flagged = flag(period, 2)

    with pytest.raises(ApplicationError) as refused:
        response_review(
            user=member(unit, Role.SUPERVISOR, "kepala"), response=flagged, decision="kept"
        )

    assert refused.value.code == "forbidden"


def test_flagged_responses_are_listed_awaiting_first_in_few_queries(
    period, surveyor, django_assert_num_queries
):
    reviewed = flag(period, 2)
    response_review(user=surveyor, response=reviewed, decision="kept")
    waiting = flag(period, 1)

    with django_assert_num_queries(1):
        rows = list(flagged_responses(period))
        names = [(r.reviewed_by and r.reviewed_by.username, r.service) for r in rows]

    assert [r.pk for r in rows] == [waiting.pk, reviewed.pk]
    assert names[1] == ("surveyor", None)


# --- The review screen -----------------------------------------------------------------


def test_a_surveyor_keeps_a_flagged_response_on_the_review_screen(client, period, surveyor):
    # given a flagged response
    flagged = flag(period, 2)
    client.force_login(surveyor)
    url = reverse("surveys_staff:period_review", args=[period.pk])

    # when the surveyor opens the screen and keeps it
    page = client.get(url)
    kept = client.post(url, {"response": flagged.pk, "decision": "kept"}, follow=True)

    # then the screen listed it with its reason, and now shows the decision and the new IKM
    html = page.content.decode()
    assert page.status_code == 200 and f"#{flagged.pk}" in html
    assert flagged.flag_reason_display in html
    assert kept.redirect_chain[-1][0] == url
    flagged.refresh_from_db()
    assert (flagged.review_status, flagged.reviewed_by) == ("kept", surveyor)
    assert "75,00" in kept.content.decode() or "75.00" in kept.content.decode()


def test_the_period_page_links_to_the_review_for_surveyors_only(client, period, surveyor, unit):
    flag(period, 2)
    url = reverse("surveys_staff:period_detail", args=[period.pk])
    review = reverse("surveys_staff:period_review", args=[period.pk])

    client.force_login(surveyor)
    as_surveyor = client.get(url).content.decode()
    client.force_login(member(unit, Role.SUPERVISOR, "kepala"))
    as_head = client.get(url).content.decode()

    assert review in as_surveyor and review not in as_head


def test_another_units_surveyor_gets_404(client, period):
    flagged = flag(period, 2)
    client.force_login(member(UnitFactory(), Role.SURVEYOR, "surveyor.lain"))
    url = reverse("surveys_staff:period_review", args=[period.pk])

    seen = client.get(url)
    posted = client.post(url, {"response": flagged.pk, "decision": "kept"})

    assert (seen.status_code, posted.status_code) == (404, 404)
    flagged.refresh_from_db()
    assert flagged.review_status == "pending"


def test_a_unit_head_who_only_sees_results_gets_404(client, period, unit):
    client.force_login(member(unit, Role.SUPERVISOR, "kepala"))

    response = client.get(reverse("surveys_staff:period_review", args=[period.pk]))

    assert response.status_code == 404


def test_a_response_of_another_period_is_not_found_here(client, period, surveyor, unit):
    other = SurveyPeriodFactory(unit=unit, name="Semester I 2026")
    record(other, 4, "x")
    elsewhere = flag(other, 1)
    client.force_login(surveyor)

    response = client.post(
        reverse("surveys_staff:period_review", args=[period.pk]),
        {"response": elsewhere.pk, "decision": "kept"},
    )

    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.review_status == "pending"


def test_a_bad_decision_changes_nothing(client, period, surveyor):
    flagged = flag(period, 2)
    client.force_login(surveyor)

    response = client.post(
        reverse("surveys_staff:period_review", args=[period.pk]),
        {"response": flagged.pk, "decision": "pending"},
    )

    assert response.status_code == 302
    flagged.refresh_from_db()
    assert flagged.review_status == "pending" and flagged.reviewed_by is None
