"""response_record: valid answers by key, closed periods, one response per code, flags."""

import io
import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tanggap.common.exceptions import ApplicationError
from tanggap.surveys.choices import ResponseChannel, SamplingMethod
from tanggap.surveys.models import SurveyPeriod, SurveyResponse
from tanggap.surveys.selectors import period_summary
from tanggap.surveys.services import ResponseInput, response_record
from tanggap.surveys.tests.factories import ALL_FOUR, SurveyPeriodFactory

pytestmark = pytest.mark.django_db


def record(period, answers=None, **kw):
    answers = dict(ALL_FOUR) if answers is None else answers
    return response_record(
        ResponseInput(period=period, channel=ResponseChannel.ONLINE, answers=answers, **kw)
    )


@pytest.mark.parametrize(
    "bad", [{"waktu": 5}, {"waktu": 0}, {"waktu": "x"}, {"kecepatan": 3}, {"waktu": True}, {}]
)
def test_bad_answers_are_refused_and_nothing_is_stored(bad):
    period = SurveyPeriodFactory()

    with pytest.raises(ApplicationError):
        record(period, answers=bad)

    assert not SurveyResponse.objects.exists()


def test_a_closed_period_takes_no_response():
    period = SurveyPeriodFactory(
        ends_on=timezone.localdate() - timedelta(days=1),
        starts_on=timezone.localdate() - timedelta(days=60),
    )

    with pytest.raises(ApplicationError) as err:
        record(period)

    assert err.value.code == "closed" and not SurveyResponse.objects.exists()


def test_one_response_per_ticket_code():
    period = SurveyPeriodFactory(requires_code=True)
    record(period, ticket_code="a-123")

    with pytest.raises(ApplicationError) as reused:
        record(period, ticket_code="A-123")
    with pytest.raises(ApplicationError) as missing:
        record(period)

    assert (reused.value.code, missing.value.code) == ("code_used", "code_missing")
    assert SurveyResponse.objects.count() == 1


def test_a_kiosk_resend_after_an_outage_is_stored_once():
    period, key = SurveyPeriodFactory(), uuid.uuid4()

    first, created = record(period, client_key=key)
    again, created_again = record(period, client_key=key)

    assert created and not created_again and first.pk == again.pk
    assert SurveyResponse.objects.count() == 1


def test_identical_answers_from_one_source_are_flagged_not_dropped():
    period = SurveyPeriodFactory()

    first, _ = record(period, source="203.0.113.7")
    second, _ = record(period, source="203.0.113.7")
    other, _ = record(period, source="198.51.100.1")

    assert not first.is_flagged and second.is_flagged and not other.is_flagged
    assert SurveyResponse.objects.count() == 3


def test_the_summary_counts_unflagged_responses_against_the_target():
    # domain.md 1.7: Krejcie-Morgan gives 80 for a population of 100.
    period = SurveyPeriodFactory(population=100, sampling=SamplingMethod.KREJCIE_MORGAN)
    record(period, source="a")
    record(period, source="a")  # flagged duplicate
    record(period, answers=dict(ALL_FOUR, waktu=2), source="b")

    summary = period_summary(period)

    assert summary.flagged == 1 and summary.progress.collected == 2
    assert summary.progress.target == 80
    # NRR waktu = (4 + 2) / 2 = 3, the other eight 4: IKM = 25 * (8 * 4 + 3) / 9.
    assert summary.result.value == pytest.approx(25 * 35 / 9)


def test_the_demo_surveys_load_once_with_an_index():
    call_command("demo_data", "--force", stdout=io.StringIO())
    call_command("demo_surveys", "--force", stdout=io.StringIO())
    count = SurveyResponse.objects.count()
    call_command("demo_surveys", "--force", stdout=io.StringIO())

    assert count == 105 and SurveyResponse.objects.count() == count
    summaries = [period_summary(p) for p in SurveyPeriod.objects.all()]
    assert all(s.result and 25 <= s.result.value <= 100 for s in summaries)


def test_the_database_tallies_give_exactly_the_index_of_the_python_path():
    import random

    from tanggap.surveys.elements import ELEMENT_KEYS
    from tanggap.surveys.index import compute

    rng = random.Random(7)
    period = SurveyPeriodFactory()
    rows = []
    for n in range(60):
        answers = {k: rng.choice([1, 2, 3, 4, 4, None]) for k in ELEMENT_KEYS}
        answers["waktu"] = answers["waktu"] or 2
        rows.append(answers)
        record(period, answers=answers, source=f"s{n}")

    summary = period_summary(period)

    assert summary.result.exact == compute(rows).exact
    assert summary.result.nrr == compute(rows).nrr
    assert summary.result.respondents == 60


def test_many_period_summaries_come_from_one_grouped_query(django_assert_max_num_queries):
    from tanggap.surveys.selectors import period_summaries

    periods = [SurveyPeriodFactory(population=100) for _ in range(3)]
    for n, period in enumerate(periods):
        for m in range(n + 1):
            record(period, answers=dict(ALL_FOUR, waktu=m % 4 + 1), source=f"{n}-{m}")
    record(periods[0], answers=dict(ALL_FOUR, waktu=1), source="0-0")  # flagged duplicate

    with django_assert_max_num_queries(3):
        grouped = period_summaries(periods)

    single = [period_summary(p) for p in periods]
    assert [g.result.exact for g in grouped] == [s.result.exact for s in single]
    assert [g.flagged for g in grouped] == [1, 0, 0]


def test_identical_answers_at_a_kiosk_are_not_suspicious():
    # A kiosk stands at a staffed counter; a queue flushed after an outage arrives at once.
    period = SurveyPeriodFactory()

    stored = [
        response_record(
            ResponseInput(
                period=period,
                channel=ResponseChannel.KIOSK,
                answers=dict(ALL_FOUR),
                source="10.0.0.5|7",
                client_key=uuid.uuid4(),
            )
        )[0]
        for _ in range(3)
    ]

    assert not any(r.is_flagged for r in stored)
