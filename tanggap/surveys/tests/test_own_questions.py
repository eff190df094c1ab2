"""A unit's own questions: asked after the nine elements, stored apart, never in the IKM."""

import io
import json
import uuid
from fractions import Fraction

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import (
    CounterFactory,
    MembershipFactory,
    UnitFactory,
    UserFactory,
)
from tanggap.common.exceptions import ApplicationError
from tanggap.surveys import report
from tanggap.surveys.elements import ELEMENT_KEYS
from tanggap.surveys.index import compute
from tanggap.surveys.models import SurveyResponse
from tanggap.surveys.selectors import period_breakdown, period_summaries, period_summary
from tanggap.surveys.services import ResponseInput, response_record
from tanggap.surveys.tests.factories import SurveyPeriodFactory, SurveyQuestionFactory
from tanggap.surveys.tests.test_report import pdf_text

pytestmark = pytest.mark.django_db

MIXED = dict(zip(ELEMENT_KEYS, [4, 3, 2, 4, 3, 4, 4, 1, 3], strict=True))


@pytest.fixture
def unit():
    return UnitFactory(name="Puskesmas Sukasari", slug="puskesmas-sukasari")


@pytest.fixture
def period(unit):
    return SurveyPeriodFactory(unit=unit, name="Semester II 2026")


@pytest.fixture
def scale(unit):
    return SurveyQuestionFactory(unit=unit, position=1)


@pytest.fixture
def text(unit):
    return SurveyQuestionFactory(
        unit=unit, position=2, kind="text", text_id="Apa yang perlu diperbaiki?", text_en=""
    )


def record(period, answers=None, extra=None, **fields):
    response, _ = response_record(
        ResponseInput(
            period=period,
            channel=fields.pop("channel", "online"),
            answers=dict(MIXED if answers is None else answers),
            extra_answers=extra,
            **fields,
        )
    )
    return response


def member(unit, role, name):
    user = UserFactory(username=name)
    MembershipFactory(user=user, unit=unit, role=role)
    return user


# --- Recording -------------------------------------------------------------------------


def test_answers_to_the_units_own_questions_are_stored_apart(period, scale, text):
    # when a respondent answers the nine and both own questions
    response = record(period, extra={str(scale.pk): 2, str(text.pk): " Kursi kurang "})

    # then the own answers are stored by question id, the nine by element key only
    assert response.extra_answers == {str(scale.pk): 2, str(text.pk): "Kursi kurang"}
    assert set(response.answers) == set(ELEMENT_KEYS)


def test_the_ikm_is_unchanged_by_the_units_own_questions(period, scale, text):
    # given a second unit's period with the very same element answers and no own questions
    twin = SurveyPeriodFactory()
    for values in (MIXED, dict.fromkeys(ELEMENT_KEYS, 4), dict.fromkeys(ELEMENT_KEYS, 2)):
        record(period, values, extra={str(scale.pk): 1, str(text.pk): "Buruk sekali"})
        record(twin, values)

    # when the index of both is computed by every path
    own, plain = period_summary(period), period_summary(twin)
    listed = {s.period.pk: s.result.exact for s in period_summaries([period, twin])}
    own_report, plain_report = report.period_report_data(period), report.period_report_data(twin)

    # then the answers of 1 to the own question moved nothing
    expected = compute([MIXED, dict.fromkeys(ELEMENT_KEYS, 4), dict.fromkeys(ELEMENT_KEYS, 2)])
    assert own.result.exact == plain.result.exact == expected.exact
    assert own.result.nrr == plain.result.nrr
    assert listed[period.pk] == listed[twin.pk] == expected.exact
    assert own_report["result"].exact == plain_report["result"].exact == expected.exact
    assert [r["nrr"] for r in own_report["elements"]] == [
        r["nrr"] for r in plain_report["elements"]
    ]
    assert own.result.exact == Fraction(25 * (28 + 36 + 18), 27)


@pytest.mark.parametrize(
    ("extra", "words", "question"),
    [
        ({"999999": 3}, "does not ask", None),
        ({"SCALE": 5}, "from 1 to 4", "How clean was the waiting room?"),
        ({"SCALE": "4"}, "from 1 to 4", "How clean was the waiting room?"),
        ({"TEXT": "x" * 301}, "too long", "Apa yang perlu diperbaiki?"),
    ],
)
def test_a_bad_own_answer_is_refused_clearly_and_nothing_is_stored(
    period, scale, text, extra, words, question
):
    # given an answer to an unknown question, off the scale, or too long
    ids = {"SCALE": str(scale.pk), "TEXT": str(text.pk)}
    extra = {ids.get(key, key): value for key, value in extra.items()}

    # when it is recorded, in English
    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        record(period, extra=extra)

    # then the message says what is wrong and names the question, and nothing is stored
    assert refused.value.code == "extra_answer" and words in refused.value.message
    assert question is None or question in refused.value.message
    assert not SurveyResponse.objects.exists()


def test_another_units_or_another_periods_question_is_unknown(period, unit):
    # given a question of another unit and one of another period of the same unit
    foreign = SurveyQuestionFactory()
    other_period = SurveyPeriodFactory(unit=unit, name="Semester I 2026")
    elsewhere = SurveyQuestionFactory(unit=unit, period=other_period)
    own = SurveyQuestionFactory(unit=unit, period=period)

    # when answers to them are recorded
    for question in (foreign, elsewhere):
        with pytest.raises(ApplicationError) as refused:
            record(period, extra={str(question.pk): 3})
        assert refused.value.code == "extra_answer"

    # then only this period's (and the unit-wide) questions are accepted
    assert record(period, extra={str(own.pk): 3}).extra_answers == {str(own.pk): 3}
    assert SurveyResponse.objects.count() == 1


def test_a_question_no_longer_asked_still_takes_answers_queued_before(period, scale):
    # given a kiosk queued an answer, and the question was then switched off
    scale.is_active = False
    scale.save(update_fields=["is_active"])

    # when the queue arrives
    response = record(period, extra={str(scale.pk): 4}, channel="kiosk")

    # then the answer is kept with its question
    assert response.extra_answers == {str(scale.pk): 4}


# --- The phone questionnaire and the kiosk ---------------------------------------------


@pytest.fixture
def counter(unit, period):
    return CounterFactory(unit=unit, code="loket-1")


def form_data(**extra):
    return dict.fromkeys(ELEMENT_KEYS, "3") | {"client_key": str(uuid.uuid4())} | extra


def test_the_phone_questionnaire_asks_the_own_questions_after_the_nine(
    client, counter, scale, text
):
    # given a question of another unit, and one this unit no longer asks
    SurveyQuestionFactory(text_id="Pertanyaan unit lain")
    SurveyQuestionFactory(unit=counter.unit, text_id="Pertanyaan lama", is_active=False)
    url = reverse("surveys:counter", args=[counter.code])

    # when a citizen opens the survey and answers
    page = client.get(url).content.decode()
    sent = client.post(url, form_data(**{f"q_{scale.pk}": "4", f"q_{text.pk}": "Kipas angin"}))

    # then the unit's own questions come after the nine, and the answers are stored apart
    assert page.index("Bagaimana pendapat Saudara tentang kualitas sarana") < page.index(
        "Bagaimana kebersihan ruang tunggu?"
    )
    assert "Apa yang perlu diperbaiki?" in page and "Sangat bersih" in page
    assert "Pertanyaan unit lain" not in page and "Pertanyaan lama" not in page
    assert sent.status_code == 302
    stored = SurveyResponse.objects.get()
    assert stored.extra_answers == {str(scale.pk): 4, str(text.pk): "Kipas angin"}


def test_the_own_questions_are_optional(client, counter, scale, text):
    response = client.post(reverse("surveys:counter", args=[counter.code]), form_data())

    assert response.status_code == 302
    assert SurveyResponse.objects.get().extra_answers == {}


@pytest.mark.parametrize("field", ["scale", "text"])
def test_a_bad_own_answer_on_the_phone_is_refused(client, counter, scale, text, field):
    value = {"scale": (scale, "5"), "text": (text, "x" * 301)}[field]

    response = client.post(
        reverse("surveys:counter", args=[counter.code]),
        form_data(**{f"q_{value[0].pk}": value[1]}),
    )

    assert response.status_code == 400 and f"q_{value[0].pk}" in response.context["form"].errors
    assert not SurveyResponse.objects.exists()


def post_json(client, counter, body):
    return client.post(
        reverse("surveys:kiosk_submit", args=[counter.code]),
        data=json.dumps(body),
        content_type="application/json",
    )


def test_the_kiosk_queue_stores_the_own_answers(client, counter, scale, text):
    body = {
        "client_key": str(uuid.uuid4()),
        "answers": MIXED,
        "extra_answers": {str(scale.pk): 1, str(text.pk): "Antrian tertib"},
    }

    response = post_json(client, counter, body)

    assert response.status_code == 201
    assert SurveyResponse.objects.get().extra_answers == body["extra_answers"]


@pytest.mark.parametrize("extra", [{"424242": 3}, {"SCALE": 7}, ["SCALE", 3], "x"])
def test_the_kiosk_queue_refuses_bad_own_answers(client, counter, scale, extra):
    if isinstance(extra, dict):
        extra = {str(scale.pk) if k == "SCALE" else k: v for k, v in extra.items()}
    body = {"client_key": str(uuid.uuid4()), "answers": MIXED, "extra_answers": extra}

    response = post_json(client, counter, body)

    assert response.status_code == 400 and response.json()["error"]
    assert not SurveyResponse.objects.exists()


# --- Paper entry, the period page and the report ---------------------------------------


def test_a_surveyor_enters_the_own_answers_of_a_paper_form(client, period, scale, text):
    client.force_login(member(period.unit, Role.SURVEYOR, "surveyor"))
    url = reverse("surveys_staff:period_detail", args=[period.pk])

    page = client.get(url).content.decode()
    response = client.post(url, form_data(**{f"q_{scale.pk}": "2", f"q_{text.pk}": "Toilet"}))

    assert f'name="q_{scale.pk}"' in page and f'name="q_{text.pk}"' in page
    assert response.status_code == 302
    stored = SurveyResponse.objects.get(channel="paper")
    assert stored.extra_answers == {str(scale.pk): 2, str(text.pk): "Toilet"}


@pytest.fixture
def answered(period, scale, text):
    """Four responses: the scale answered 4, 4, 1 and once not; the text twice."""
    record(period, extra={str(scale.pk): 4, str(text.pk): "Kipas angin"})
    record(period, extra={str(scale.pk): 4})
    record(period, extra={str(scale.pk): 1, str(text.pk): "Toilet"})
    record(period)
    return period


def test_the_period_page_shows_the_own_questions_apart_from_the_ikm(client, answered, scale):
    # given a unit head of the unit
    client.force_login(member(answered.unit, Role.SUPERVISOR, "kepala"))

    # when the period page is opened
    response = client.get(reverse("surveys_staff:period_detail", args=[answered.pk]))

    # then the own questions show their mean and distribution, or their count
    html = response.content.decode()
    questions = {item.question.pk: item for item in response.context["breakdown"].questions}
    assert questions[scale.pk].answered == 3 and str(questions[scale.pk].mean) == "3.00"
    assert [count for _v, _l, count, _s in questions[scale.pk].distribution] == [1, 0, 0, 2]
    with translation.override("id"):
        assert gettext("The unit's own questions") in html
    assert "Bagaimana kebersihan ruang tunggu?" in html and "Sangat bersih" in html
    assert "Apa yang perlu diperbaiki?" in html


def test_the_breakdown_counts_text_answers_and_hides_unasked_unanswered_questions(
    answered, scale, text, unit
):
    SurveyQuestionFactory(unit=unit, text_id="Lama, tanpa jawaban", is_active=False)

    results = period_breakdown(answered).questions

    assert [item.question.pk for item in results] == [scale.pk, text.pk]
    assert results[1].answered == 2 and results[1].mean is None


def test_the_report_has_a_section_of_the_own_questions(answered, scale, text):
    # when the report is made in English and in Indonesian
    with translation.override("en"):
        english = pdf_text(report.period_report_pdf(answered))
        workbook = load_workbook(io.BytesIO(report.period_report_xlsx(answered)))

    # then the PDF has the section with both questions, apart from the index
    assert "The unit's own questions" in english and "not part of the IKM" in english
    assert "How clean was the waiting room?" in english and "Very clean" in english
    assert "Apa yang perlu diperbaiki?" in english  # no English text: Indonesian
    # and the workbook a sheet of them before the data, and their answers in the data
    assert workbook.sheetnames[-2:] == [report.QUESTION_SHEET, "Data"]
    rows = list(workbook[report.QUESTION_SHEET].iter_rows(values_only=True))
    by_question = {row[1]: row for row in rows if row and row[1]}
    scale_row = by_question["How clean was the waiting room?"]
    assert scale_row[3:9] == (3, 3, 1, 0, 0, 2)
    assert by_question["Apa yang perlu diperbaiki?"][3] == 2
    assert ("Apa yang perlu diperbaiki?", "Kipas angin") in [row[:2] for row in rows]
    data = list(workbook["Data"].iter_rows(values_only=True))
    column = data[0].index(f"q{scale.pk}")
    assert sorted(row[column] or 0 for row in data[1:]) == [0, 1, 4, 4]


def test_a_report_without_own_questions_has_no_such_section(period):
    record(period)

    with translation.override("en"):
        text = pdf_text(report.period_report_pdf(period))
        workbook = load_workbook(io.BytesIO(report.period_report_xlsx(period)))

    assert "own questions" not in text
    assert report.QUESTION_SHEET not in workbook.sheetnames
