"""The pure checks and tallies of the answers to a unit's own questions."""

from fractions import Fraction

import pytest

from tanggap.surveys.unit_questions import (
    SCALE,
    TEXT,
    TEXT_MAX_LENGTH,
    ExtraAnswerError,
    clean_extra_answers,
    tally,
)

KINDS = {7: SCALE, 9: TEXT}


def test_answers_are_kept_by_question_id_and_empty_ones_dropped():
    # given answers keyed as JSON gives them: a scale answer and padded text
    raw = {"7": 3, 9: "  Ruang tunggu panas  "}

    # when they are checked against questions 7 and 9
    cleaned = clean_extra_answers(raw, KINDS)
    empty = clean_extra_answers({"7": None, "9": "   "}, KINDS)

    # then they are stored by question id as text, stripped, and empty answers are left out
    assert cleaned == {"7": 3, "9": "Ruang tunggu panas"}
    assert empty == {}


@pytest.mark.parametrize(
    ("raw", "code", "question"),
    [
        ({"8": 3}, "unknown", 8),
        ({"tujuh": 3}, "unknown", None),
        ({True: 3}, "unknown", None),
        ({"7": 5}, "scale", 7),
        ({"7": 0}, "scale", 7),
        ({"7": "3"}, "scale", 7),
        ({"7": True}, "scale", 7),
        ({"7": 2.5}, "scale", 7),
        ({"9": 4}, "text", 9),
        ({"9": "x" * (TEXT_MAX_LENGTH + 1)}, "too_long", 9),
        (["7", 3], "shape", None),
    ],
)
def test_bad_answers_are_refused_with_a_code_and_the_question(raw, code, question):
    # when an answer to an unknown question, off the scale, not text or too long is checked
    with pytest.raises(ExtraAnswerError) as refused:
        clean_extra_answers(raw, KINDS)

    # then the error says what is wrong and where
    assert (refused.value.code, refused.value.question_id) == (code, question)


def test_text_of_exactly_the_limit_is_accepted():
    assert clean_extra_answers({"9": "x" * TEXT_MAX_LENGTH}, KINDS) == {"9": "x" * TEXT_MAX_LENGTH}


def test_no_answers_at_all_is_an_empty_mapping():
    assert clean_extra_answers(None, KINDS) == {} and clean_extra_answers({}, {}) == {}


def test_the_tally_gives_the_mean_and_distribution_of_a_scale_and_a_count_of_text():
    # given three stored answer sets, one without answers and one the question changed under
    rows = [{"7": 4, "9": "Bersih"}, {"7": 1}, {}, {"7": 4, "9": ""}, {"7": "bagus", "3": 2}]

    # when they are tallied
    result = tally(KINDS, rows)

    # then the scale has (4 + 1 + 4) / 3 and its counts, the text one answer
    assert list(result) == [7, 9]
    assert result[7].answered == 3 and result[7].mean == Fraction(3)
    assert result[7].distribution == {1: 1, 2: 0, 3: 0, 4: 2}
    assert result[9].answered == 1 and result[9].mean is None and result[9].distribution == {}


def test_a_question_nobody_answered_has_no_mean():
    assert tally({7: SCALE}, [])[7].mean is None
